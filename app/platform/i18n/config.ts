// Shared by server and browser: the catalogues are small, so they ship with the bundle.
import en from "../../locales/en/common.json";

export const supportedLanguages = ["en"] as const;
export type SupportedLanguage = (typeof supportedLanguages)[number];
export const fallbackLanguage: SupportedLanguage = "en";
export const defaultNS = "common";
export const resources = { en: { common: en } } as const;

export const i18nOptions = {
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  defaultNS,
  ns: [defaultNS],
  resources,
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
};
