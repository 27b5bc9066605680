#!/usr/bin/env node
import '../dist/cli/logs.js';
