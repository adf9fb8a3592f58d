import { createContext, useContext } from "react";

/** Signing out forgets the API key and returns to the sign-in screen. */
export const SignOutContext = createContext<() => void>(() => undefined);

export const useSignOut = () => useContext(SignOutContext);
