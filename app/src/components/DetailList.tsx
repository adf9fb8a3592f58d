/** An answer's `details` (ErrorDetail): why something was not done, in the API's words. */
export function DetailList({ details }: { details: readonly { code: string; message: string }[] }) {
  return (
    <ul className="details">
      {details.map((detail) => (
        <li key={`${detail.code}:${detail.message}`}>{detail.message}</li>
      ))}
    </ul>
  );
}
