export { CHANGE_RECORD_BUNDLE_FILE, CHANGE_RECORD_FILE } from '../util/release-files.ts'
/** A stable URI the project owns; changing the record's meaning means a new version here. */
export const CHANGE_RECORD_PREDICATE_TYPE = 'https://immutable-release.dev/change-record/v1'
/** The annotation on provenance subjects that points at the record. */
export const CHANGE_RECORD_ANNOTATION_KEY = 'immutable-release.dev/change-record'
