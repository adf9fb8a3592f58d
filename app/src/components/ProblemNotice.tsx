import { problemOf, type ErrorLike } from "../api/problems";
import { useSignOut } from "../session-context";

interface Props {
  error: ErrorLike;
  /** What the retry does; every request the app sends is safe to repeat. */
  onRetry: () => void;
  /** What failed, for the heading: "Finding the shipment", "Allocating", … */
  action: string;
}

/** The screen state for a request that got no usable answer: network down, key refused, service busy. */
export function ProblemNotice({ error, onRetry, action }: Props) {
  const signOut = useSignOut();
  const problem = problemOf(error);
  if (problem.kind === "unauthenticated") {
    return (
      <div className="notice notice-error" role="alert">
        <h3>Your API key was not accepted</h3>
        <p>It may have been revoked. Sign in again with a current key.</p>
        <button type="button" onClick={signOut}>
          Sign in again
        </button>
      </div>
    );
  }
  return (
    <div className="notice notice-error" role="alert">
      <h3>{action} did not work</h3>
      <p>
        {problem.kind === "offline" && "The server could not be reached. Check the phone's connection, then retry."}
        {problem.kind === "unavailable" && "The service is busy or restarting. Retry in a moment."}
        {problem.kind === "unexpected" && `Something unexpected went wrong: ${problem.message}`}
      </p>
      <button type="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
