/** A resource that lacks some of the required owner tags. */
export interface TagProblem {
  /** The file, relative to the workspace root. */
  file: string;
  /** `<type>.<name>` for Terraform, `<Kind>/<name>` for Kubernetes. */
  resource: string;
  /** The required keys it lacks, in the order they were required. */
  missingKeys: string[];
  /** Why the keys could not be found, when that is not obvious. */
  detail?: string;
}

/**
 * One line per problem, e.g.
 * `infra/main.tf: aws_s3_bucket.assets lacks cost-center, environment`.
 */
export function formatTagProblems(problems: TagProblem[]): string {
  return problems
    .map(problem => {
      const line = `${problem.file}: ${
        problem.resource
      } lacks ${problem.missingKeys.join(', ')}`;
      return problem.detail ? `${line} (${problem.detail})` : line;
    })
    .join('\n');
}

/** The required keys that are not in `present`, in required order. */
export function missingKeys(
  requiredKeys: string[],
  present: ReadonlySet<string>,
): string[] {
  return requiredKeys.filter(key => !present.has(key));
}
