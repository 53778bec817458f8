// The six issue tracks every convening starts with; organizers may edit them afterwards.
export const DEFAULT_TRACKS = [
  {
    slug: "sex-work",
    name: "Sex work",
    color: "#8a2b5c",
    description: "Decriminalisation, labour rights and safety of sex workers, led by sex workers themselves.",
  },
  {
    slug: "trafficking",
    name: "Trafficking",
    color: "#a3471a",
    description: "Rights-based responses to trafficking that protect survivors without harming sex workers or migrants.",
  },
  {
    slug: "hiv-aids",
    name: "HIV/AIDS",
    color: "#b0212f",
    description: "Prevention, treatment and care, and the laws and stigma that keep people from them.",
  },
  {
    slug: "lgbtq-rights",
    name: "LGBTQ rights",
    color: "#5b3a99",
    description: "Rights of lesbian, gay, bisexual, trans and queer people, and where they meet sex work.",
  },
  {
    slug: "migrant-labor-rights",
    name: "Migrant and labor rights",
    color: "#1f5f8b",
    description: "Work, mobility and immigration status: organising across borders and sectors.",
  },
  {
    slug: "reproductive-rights-health",
    name: "Reproductive rights and health",
    color: "#2d6a3e",
    description: "Bodily autonomy, reproductive health services and the right to decide.",
  },
] as const;
