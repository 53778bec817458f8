import "@remix-run/node";
import "i18next";
import type en from "./locales/en/common.json";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Nonce for this response's Content-Security-Policy. */
    cspNonce: string;
    /** The client's address, for rate limits only; never logged with a person. */
    clientAddress: string;
  }
}

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: { common: typeof en };
  }
}
