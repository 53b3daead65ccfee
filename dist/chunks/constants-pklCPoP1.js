const CHANGE_RECORD_PREDICATE_TYPE = "https://immutable-release.dev/change-record/v1";
const CHANGE_RECORD_ANNOTATION_KEY = "immutable-release.dev/change-record";

export { CHANGE_RECORD_ANNOTATION_KEY as C, CHANGE_RECORD_PREDICATE_TYPE as a };
