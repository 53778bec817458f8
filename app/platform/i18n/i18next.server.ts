import type { EntryContext } from "@remix-run/node";
import { createInstance, type i18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import { RemixI18Next } from "remix-i18next/server";
import { defaultNS, fallbackLanguage, i18nOptions, supportedLanguages, type SupportedLanguage } from "./config";

const remixI18Next = new RemixI18Next({
  detection: { supportedLanguages: [...supportedLanguages], fallbackLanguage },
  i18next: i18nOptions,
});

function supported(language: string | undefined): SupportedLanguage {
  return supportedLanguages.find((l) => l === language) ?? fallbackLanguage;
}

// One synchronously initialised instance for every server-side t (resources are bundled, so
// init finishes at once). Nothing changes it afterwards: each caller gets a t fixed to a language.
const plain = createInstance();
void plain.init({ ...i18nOptions, initImmediate: false });

/** A t for mail and other text made outside a request, or for a language already known. */
export function fixedT(language: string = fallbackLanguage): TFunction {
  return plain.getFixedT(supported(language));
}

// The language is negotiated once per request (the root loader, a route's loader and the
// renderer all ask for it). The promise is kept so concurrent callers share one negotiation.
const negotiated = new WeakMap<Request, Promise<string>>();

function localeOf(request: Request): Promise<string> {
  let locale = negotiated.get(request);
  if (!locale) {
    locale = remixI18Next.getLocale(request);
    negotiated.set(request, locale);
    // A failure is not remembered: the next caller negotiates afresh.
    locale.catch(() => negotiated.delete(request));
  }
  return locale;
}

/**
 * The same questions remix-i18next's RemixI18Next answers, without creating and initialising
 * an i18next instance per call: the language is remembered per request and every t comes from
 * the shared instance above.
 */
export const i18nServer = {
  getLocale(request: Request): Promise<string> {
    return localeOf(request);
  },
  async getFixedT(requestOrLocale: Request | string): Promise<TFunction> {
    return fixedT(typeof requestOrLocale === "string" ? requestOrLocale : await localeOf(requestOrLocale));
  },
  getRouteNamespaces(context: EntryContext): string[] {
    return remixI18Next.getRouteNamespaces(context);
  },
};

// One instance per supported language for react-i18next's I18nextProvider while rendering.
// Each is created with its language fixed and is never changed (no changeLanguage, no
// loadNamespaces: every namespace is bundled), so concurrent renders can share it.
const renderInstances = new Map<SupportedLanguage, i18n>();

export function renderI18n(language: string): i18n {
  const lng = supported(language);
  let instance = renderInstances.get(lng);
  if (!instance) {
    instance = createInstance();
    void instance.use(initReactI18next).init({ ...i18nOptions, lng, ns: [defaultNS], initImmediate: false });
    renderInstances.set(lng, instance);
  }
  return instance;
}
