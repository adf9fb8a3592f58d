import { ApolloProvider } from "@apollo/client/react";
import { useMemo, useState } from "react";
import { createClient } from "./api/client";
import { forgetApiKey, storeApiKey, storedApiKey } from "./api/session";
import { SignIn } from "./screens/SignIn";
import { ShipmentScreen } from "./screens/ShipmentScreen";
import { SignOutContext } from "./session-context";

export function App() {
  const [apiKey, setApiKey] = useState(storedApiKey);
  // one client per key: signing in as another account starts from an empty cache
  const client = useMemo(() => (apiKey ? createClient(apiKey) : null), [apiKey]);

  if (!client) {
    return (
      <SignIn
        onSignIn={(key) => {
          storeApiKey(key);
          setApiKey(key);
        }}
      />
    );
  }
  const signOut = () => {
    forgetApiKey();
    void client.clearStore();
    setApiKey(null);
  };
  return (
    <ApolloProvider client={client}>
      <SignOutContext.Provider value={signOut}>
        <header className="top-bar">
          <h1>Allocate shipments</h1>
          <button type="button" className="secondary" onClick={signOut}>
            Sign out
          </button>
        </header>
        <main>
          <ShipmentScreen />
        </main>
      </SignOutContext.Provider>
    </ApolloProvider>
  );
}
