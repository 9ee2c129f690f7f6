#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader: no build step between a clone and `npx gongjian`.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
