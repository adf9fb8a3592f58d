import { useId, useRef, useState, type FormEvent } from "react";

interface Props {
  label: string;
  hint: string;
  submitLabel: string;
  onSubmit: (value: string) => void;
  busy?: boolean;
  autoFocus?: boolean;
}

/**
 * A one-line field for a reference, typed or scanned: a barcode scanner in keyboard mode types the
 * code and presses Enter, which submits. After a submit the text is selected, so the next scan replaces it.
 */
export function ScanField({ label, hint, submitLabel, onSubmit, busy = false, autoFocus = false }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const reference = value.trim();
    if (reference) onSubmit(reference);
    input.current?.select();
  };

  return (
    <form className="scan-field" onSubmit={submit}>
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <div className="row">
        <input
          id={id}
          ref={input}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          onFocus={(event) => event.target.select()}
          aria-describedby={`${id}-hint`}
          autoFocus={autoFocus}
          autoComplete="off"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          enterKeyHint="go"
          required
        />
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
