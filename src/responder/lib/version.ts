// SPDX-License-Identifier: GPL-3.0-or-later
// Replaced at bundle time (esbuild --define) with package.json's version; "dev" when run unbundled.
declare const __RESPONDER_VERSION__: string | undefined;

export const VERSION: string = typeof __RESPONDER_VERSION__ === 'string' ? __RESPONDER_VERSION__ : 'dev';
