/** The release asset holding the record as RFC 8785 canonical JSON. */
export const CHANGE_RECORD_FILE = 'change-record.json'
/** The release asset holding the Sigstore bundle of the record's in-toto statement. */
export const CHANGE_RECORD_BUNDLE_FILE = 'change-record.sigstore.json'
/** The content-addressed manifest the record's statement is about. */
export const RELEASE_MANIFEST_FILE = 'release-manifest.json'
/** A stable URI the project owns; changing the record's meaning means a new version here. */
export const CHANGE_RECORD_PREDICATE_TYPE = 'https://immutable-release.dev/change-record/v1'
/** The annotation on provenance subjects that points at the record. */
export const CHANGE_RECORD_ANNOTATION_KEY = 'immutable-release.dev/change-record'
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1'
