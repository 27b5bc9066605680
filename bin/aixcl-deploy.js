#!/usr/bin/env node
// The cache is enabled first, and the bundle imported after it: a static import would be compiled before.
import './compile-cache.js';
await import('../dist/bundle/deploy.js');
