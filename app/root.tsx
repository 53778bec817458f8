import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { CsrfInput } from "./components/csrf";
import { useNonce } from "./components/nonce";
import { csrfToken } from "./modules/auth/csrf.server";
import { isAnyOrganizer } from "./modules/auth/permissions";
import { getUser } from "./modules/auth/session.server";
import { i18nServer } from "./platform/i18n/i18next.server";
import { submissionToken } from "./platform/submissions.server";
import stylesheet from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, csrf, locale, t] = await Promise.all([
    getUser(request),
    csrfToken(request),
    i18nServer.getLocale(request),
    i18nServer.getFixedT(request),
  ]);
  return data(
    {
      locale,
      csrf: csrf.token,
      // Fresh on every load, so after each action the creating forms carry a new one (and reset).
      submission: submissionToken(),
      // Titles for error pages, whose routes have no data of their own.
      errorTitles: {
        404: t("errors.page.notFoundTitle"),
        403: t("errors.page.forbiddenTitle"),
        other: t("errors.page.title"),
      },
      // Only what the header needs: never the person's email or full name.
      user: user
        ? {
            publicName: user.publicName,
            // Organizers and reviewers both work under /organize.
            organizer: isAnyOrganizer(user.roles) || user.roles.some((r) => r.role === "reviewer"),
            profileComplete: user.profileComplete,
          }
        : null,
    },
    csrf.setCookie ? { headers: { "Set-Cookie": csrf.setCookie } } : undefined,
  );
}

export const handle = { i18n: ["common"] };

export const meta: MetaFunction<typeof loader> = ({ data: rootData, error }) => {
  if (!error) return [];
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const titles = rootData?.errorTitles;
  const title = status === 404 ? titles?.[404] : status === 403 ? titles?.[403] : titles?.other;
  return [{ title: `${title ?? "Error"} · Convene` }];
};

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

interface ConveningHeader {
  convening?: { slug: string; title: string };
}

function SiteHeader() {
  const { t } = useTranslation();
  const root = useRootData();
  const matches = useMatches();
  const convening = matches
    .map((m) => (m.data as ConveningHeader | undefined)?.convening)
    .filter((c): c is { slug: string; title: string } => Boolean(c?.slug && c.title))
    .at(-1);
  const user = root?.user ?? null;
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <p className="site-header__brand">
          <Link to="/">{t("app.name")}</Link>
          {convening ? (
            <>
              <span aria-hidden="true"> · </span>
              <Link to={`/convenings/${convening.slug}`}>{convening.title}</Link>
            </>
          ) : null}
        </p>
        <nav aria-label={t("nav.label")}>
          <ul className="site-nav">
            <li>
              <Link to="/">{t("nav.home")}</Link>
            </li>
            {user ? (
              <>
                {user.organizer ? (
                  <li>
                    <Link to="/organize">{t("nav.organize")}</Link>
                  </li>
                ) : null}
                <li>
                  <Link to="/actions">{t("nav.actions")}</Link>
                </li>
                <li>
                  <Link to="/account">{t("nav.account")}</Link>
                </li>
                <li>
                  <Form method="post" action="/logout">
                    <CsrfInput />
                    <button type="submit" className="link-button">
                      {t("nav.signOut")}
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <li>
                <Link to="/login">{t("nav.signIn")}</Link>
              </li>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRootData();
  const { t, i18n } = useTranslation();
  const nonce = useNonce();
  const locale = root?.locale ?? "en";
  return (
    <html lang={locale} dir={i18n.dir(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("nav.skip")}
        </a>
        <SiteHeader />
        <main id="main" className="page">
          {children}
        </main>
        <footer className="site-footer">
          <p>{t("footer.text")}</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const root = useRootData();
  useChangeLanguage(root?.locale ?? "en");
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  let title = t("errors.page.title");
  let message = t("errors.page.unexpected");
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = t("errors.page.notFoundTitle");
      message = t("errors.page.notFound");
    } else if (error.status === 403) {
      title = t("errors.page.forbiddenTitle");
      message = t("errors.page.forbidden");
    } else if (error.status < 500) {
      title = t("errors.page.badRequestTitle");
    }
    const key = (error.data as { message?: unknown } | null)?.message;
    if (typeof key === "string" && key.startsWith("errors.")) message = t(key as "errors.csrf");
  }
  return (
    <>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t("errors.page.home")}</Link>
      </p>
    </>
  );
}
