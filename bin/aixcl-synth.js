#!/usr/bin/env node
import '../dist/cli/synth.js';
