import { ApolloProvider } from "@apollo/client/react";
import { useMemo, useState } from "react";
import { createClient } from "./api/client";
import { forgetApiKey, storeApiKey, storedApiKey } from "./api/session";
import { SignIn } from "./screens/SignIn";
import { ShipmentScreen } from "./screens/ShipmentScreen";
import { SignOutContext } from "./session-context";
import { WaveScreen } from "./wave/WaveScreen";

const SCREENS = { shipment: "One shipment", wave: "A wave" } as const;

export function App() {
  const [apiKey, setApiKey] = useState(storedApiKey);
  const [screen, setScreen] = useState<keyof typeof SCREENS>("shipment");
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
        <nav className="tabs" aria-label="Screens">
          {Object.entries(SCREENS).map(([id, name]) => (
            <button key={id} type="button" aria-current={screen === id ? "page" : undefined} onClick={() => setScreen(id as keyof typeof SCREENS)}>
              {name}
            </button>
          ))}
        </nav>
        <main>{screen === "shipment" ? <ShipmentScreen /> : <WaveScreen />}</main>
      </SignOutContext.Provider>
    </ApolloProvider>
  );
}
