import { useId, useState, type FormEvent } from "react";

/** The first screen: the account's API key, kept for this tab only. */
export function SignIn({ onSignIn }: { onSignIn: (apiKey: string) => void }) {
  const id = useId();
  const [apiKey, setApiKey] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (apiKey.trim()) onSignIn(apiKey.trim());
  };

  return (
    <main className="sign-in">
      <h1>Allocate shipments</h1>
      <form onSubmit={submit}>
        <label htmlFor={id}>API key</label>
        <p className="hint" id={`${id}-hint`}>
          Your account's key. It is kept only until you close this tab.
        </p>
        <input
          id={id}
          type="password"
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
          aria-describedby={`${id}-hint`}
          autoComplete="current-password"
          autoFocus
          required
        />
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
