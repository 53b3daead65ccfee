/** The fields of a signed in-toto statement the checks read; any of them may be absent. */
export interface StatementShape {
  _type?: string
  subject?: { name?: string; digest?: { sha256?: string }; annotations?: Record<string, unknown> }[]
  predicateType?: string
  predicate?: {
    buildDefinition?: {
      internalParameters?: { release?: { tag?: string } }
      resolvedDependencies?: { digest?: { gitCommit?: string } }[]
    }
  }
}
