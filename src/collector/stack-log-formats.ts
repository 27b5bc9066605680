import { Service } from '../compose/service.js';
import { Stack } from '../core/stack.js';
import { LogFormat } from '../logformat/log-format.js';
import { isUtcZone, type ServiceLogFormat } from './log-pipeline.js';

/**
 * The services of a stack that declare a log format. A format with problems is left out: the service
 * reports them at its path (Service validation), and its stages would only report them again here, at
 * the collector's file, in the words of the collector's schema (one message per problem).
 */
export function stackLogFormats(stack: Stack): ServiceLogFormat[] {
  return stack.node
    .findAll()
    .filter(Service.isService)
    .filter((s) => Stack.of(s) === stack && LogFormat.isLogFormat(s.logFormat) && s.logFormat.validate().length === 0)
    .map((s) => ({ serviceName: s.serviceName, format: s.logFormat!, utcClock: isUtcZone(s.timeZone) }));
}
