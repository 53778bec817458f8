import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";
import layers from "./eslint-rules/layers.js";

export default tseslint.config(
  { ignores: ["build/**", "data/**", "node_modules/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // The layers of docs/decisions/011-layers.md: imports point down, and never in a circle.
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts", "emails/**/*.ts", "cli/**/*.ts", "tests/**/*.ts", "bench/**/*.ts", "server.mjs"],
    plugins: { layers },
    rules: { "layers/direction": "error", "layers/no-cycle": "error" },
  },
  {
    // A route guards, parses, makes one call and answers: queries live in the domains (ADR 011).
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|transaction|execute|executeTakeFirst|executeTakeFirstOrThrow)$/]",
          message: "A route holds no query: call a domain function (app/modules) or a feature (app/features) instead. See docs/decisions/011-layers.md.",
        },
        { selector: "TaggedTemplateExpression[tag.name='sql']", message: "A route holds no query: call a domain function instead. See docs/decisions/011-layers.md." },
        { selector: "TryStatement", message: "A route catches no error of its own: answer forms with formAction (app/lib/form-action.server.ts), which turns a domain's refusal into form errors. See docs/decisions/012-one-way-to-answer-a-form.md." },
      ],
    },
  },
  {
    files: ["server.mjs", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
