#!/usr/bin/env node
import '../dist/bundle/synth.js';
