import { createInstance, type TFunction } from "i18next";
import { RemixI18Next } from "remix-i18next/server";
import { fallbackLanguage, i18nOptions, supportedLanguages } from "./config";

export const i18nServer = new RemixI18Next({
  detection: { supportedLanguages: [...supportedLanguages], fallbackLanguage },
  i18next: i18nOptions,
});

// One synchronously initialised instance for mail and other text made outside a request.
const plain = createInstance();
void plain.init({ ...i18nOptions, initImmediate: false });

export function fixedT(language: string = fallbackLanguage): TFunction {
  return plain.getFixedT(supportedLanguages.includes(language as "en") ? language : fallbackLanguage);
}
