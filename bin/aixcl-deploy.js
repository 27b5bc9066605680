#!/usr/bin/env node
import '../dist/cli/deploy.js';
