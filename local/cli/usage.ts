/**
 * The CLI's exit codes. 130 is what a shell reports for a process ended by Ctrl-C (128 + SIGINT); `status`
 * exits `drifted` (3) when an org differs from its record (and `failed` when it could not be checked).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, drifted: 3, interrupted: 130 } as const;

/** One mistake in how the CLI was called: the flag (or command, or variable) and what is wrong with it. */
export interface UsageProblem {
  /** `--org-id`, a command name, or an environment variable such as `GENESYSCLOUD_OAUTHCLIENT_ID`. */
  readonly flag: string;
  /** Reads after the flag: `is required`, `must be an http(s) URL`. */
  readonly problem: string;
}

/** Mistakes in how the CLI was called, all of them: exit 2, nothing read or created. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(readonly problems: readonly UsageProblem[]) {
    super(problems.map((p) => `${p.flag} ${p.problem}`).join('; '));
  }
}

/** The text form, for stderr: one `error: <flag> <problem>` line per problem, then where to find help. */
export function formatUsageProblems(problems: readonly UsageProblem[]): string {
  return `${problems.map((p) => `error: ${p.flag} ${p.problem}\n`).join('')}(run with --help for usage)\n`;
}

/** The `--json` form, for stdout: `{"error":"usage","problems":[{"flag","problem"}]}` and a newline. */
export function usageJson(problems: readonly UsageProblem[]): string {
  return `${JSON.stringify({ error: 'usage', problems: problems.map(({ flag, problem }) => ({ flag, problem })) })}\n`;
}

/** The problems of several checks, each flag's problem once, in the order found. */
export function distinctProblems(problems: readonly UsageProblem[]): UsageProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.flag}\u0000${p.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
