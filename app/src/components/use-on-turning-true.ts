import { useEffect, useRef } from "react";

/** Runs `action` each time `value` turns from false to true (not on the first render). */
export function useOnTurningTrue(value: boolean, action: () => void): void {
  const previous = useRef(value);
  useEffect(() => {
    if (value && !previous.current) action();
    previous.current = value;
  }, [value, action]);
}
