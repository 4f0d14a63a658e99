const copy = {
  title: "Demo accounts are open on this portal",
  body: (n: number) =>
    `${n} ${n === 1 ? "account has" : "accounts have"} a @demo.example address and a password printed in the README, administrators among them: anyone who can reach this portal can sign in as an administrator. Do not put real people's data here.`,
  fix: "For real use, start a new portal on an empty database in deployment mode (README: “Deploying for real”), or disable every demo account on People.",
};

/** The loud banner every administrator page carries while demo accounts can sign in: a named region, not an alert, so the error summary stays the one alert a screen reader announces. */
export function DemoAccountsBanner({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <section aria-labelledby="demo-accounts-title" className="border-b-4 border-red-900 bg-red-700 text-white print:hidden" data-testid="demo-accounts-banner">
      <div className="mx-auto max-w-5xl px-4 py-3">
        <p id="demo-accounts-title" className="m-0 text-lg font-bold">
          {copy.title}
        </p>
        <p className="m-0">{copy.body(count)}</p>
        <p className="m-0">{copy.fix}</p>
      </div>
    </section>
  );
}
