import { Service } from '../compose/service.js';
import type { App } from '../core/app.js';
import { UserError } from '../core/errors.js';
import { Loki } from '../loki/loki.js';
import { isLogCollector } from '../collector/log-collector.js';
import { logLabelValues } from '../labels/log-label-values.js';
import type { LogSource } from './log-query.js';

/** Where a stack's logs are and what they are labelled with. */
export interface LogTarget extends LogSource {
  /** Loki's URL from the host, when the stack has a Loki and publishes its port. */
  readonly lokiUrl?: string;
  /** The construct path of the stack's Loki, if it has one. */
  readonly lokiPath?: string;
}

/**
 * Finds the Loki of an app (the first stack that has one) and what its
 * collector collects. A stack without Loki still names its project and
 * services, for a Loki given with --loki.
 */
export function logTargetOf(app: App): LogTarget {
  const stacks = app.stacks;
  if (stacks.length === 0) throw new UserError('the app has no stack: add a Stack to it');
  const loki = stacks.flatMap((s) => s.node.findAll().filter(Loki.isLoki))[0];
  const stack = loki?.service.stack ?? stacks[0];
  // A symbol, not instanceof: the stack file may hold its own copy of the library.
  const collector = loki?.collectors.find(isLogCollector);
  const project = collector?.project ?? stack.projectName;
  const own = project === stack.projectName;
  return {
    lokiUrl: loki?.service.hostUrl(loki.port),
    lokiPath: loki?.node.path,
    project,
    services: own
      ? stack.node
          .findAll()
          .filter(Service.isService)
          .map((s) => s.serviceName)
          .sort()
      : undefined,
    // The one source of truth for what a query may select on (the collectors' labels and what Loki adds), as the dashboards' checks use.
    labels: collector ? loki?.streamLabels() : undefined,
    labelValues: collector ? logLabelValues(loki) : undefined,
  };
}
