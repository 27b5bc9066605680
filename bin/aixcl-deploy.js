#!/usr/bin/env node
import '../dist/bundle/deploy.js';
