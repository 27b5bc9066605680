#!/usr/bin/env node
import '../dist/bundle/logs.js';
