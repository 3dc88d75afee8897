#!/usr/bin/env node
// Entry for `npx tiksuite`: runs the TypeScript CLI directly on Node 24 (type stripping, no build step).
import '../src/main/cli.ts';
