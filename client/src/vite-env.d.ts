/// <reference types="vite/client" />
/** Set by client/vite.config.ts: package version + build id. */
declare const __CUNWEN_VERSION__: string;
