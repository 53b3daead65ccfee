import { x as changeRecordSchema } from './change-record.v1-PQwpiILr.js';
import { e as explainSchemaErrors, s as schemaValidator } from './policy-DjAvqSWB.js';

const WITHDRAWAL_PREDICATE_TYPE = "https://immutable-release.dev/withdrawal/v1";

var $schema = "https://json-schema.org/draft/2020-12/schema";
var $id = "https://immutable-release.dev/schemas/withdrawal.v1.json";
var title = "immutable-release withdrawal record input, version 1";
var description = "What a person writes in the file named by the `withdrawal-record` input of the withdraw action, instead of the `reason`, `summary`, `incident-reference`, `detected-at` and `replacement-tag` inputs. The repository, the withdrawn release's digests, the run, the time of withdrawal and the Art. 33 deadline are filled in by the action and must not appear here. `$defs/record` describes the complete record the action writes as withdrawal.json. Every string here ends up in a public, permanent, signed record: write roles and references, never names, e-mail addresses or other personal data.";
var type = "object";
var additionalProperties = false;
var required = [
	"reason",
	"summary"
];
var properties = {
	$schema: {
		description: "Lets editors find this schema. Not copied into the record.",
		type: "string"
	},
	tag: {
		description: "The published release to withdraw; must equal the `tag` input when both are given.",
		$ref: "#/$defs/tag"
	},
	reason: {
		$ref: "#/$defs/reason"
	},
	summary: {
		$ref: "#/$defs/summary"
	},
	incidentReference: {
		$ref: "#/$defs/reference"
	},
	detectedAt: {
		description: "When the controller became aware of the incident (Art. 33(1)); default: the time of the run.",
		$ref: "#/$defs/dateTime"
	},
	replacementTag: {
		description: "A published, not withdrawn release of this action that replaces the withdrawn one.",
		$ref: "#/$defs/tag"
	},
	breach: {
		$ref: "#/$defs/breachInput"
	},
	approvals: {
		description: "Who authorised the withdrawal, as in a change record: approvers are pseudonymised with the pseudonymization key, or left out without one.",
		type: "array",
		maxItems: 50,
		items: {
			$ref: "https://immutable-release.dev/schemas/change-record.v1.json#/$defs/approval"
		}
	}
};
var allOf = [
	{
		"x-message": "breach is only for reason personal-data-breach",
		"x-path": "/breach",
		"if": {
			required: [
				"reason"
			],
			properties: {
				reason: {
					not: {
						"const": "personal-data-breach"
					}
				}
			}
		},
		then: {
			not: {
				required: [
					"breach"
				]
			}
		}
	}
];
var $defs = {
	tag: {
		type: "string",
		minLength: 1,
		maxLength: 255
	},
	reason: {
		"enum": [
			"personal-data-breach",
			"security-vulnerability",
			"defect",
			"legal",
			"other"
		],
		"x-message": "must be one of personal-data-breach, security-vulnerability, defect, legal, other"
	},
	summary: {
		description: "What is wrong with the release, for its users. Public and permanent.",
		type: "string",
		minLength: 1,
		maxLength: 4000
	},
	reference: {
		description: "An identifier in another system (incident ticket, breach register entry, authority case number).",
		type: "string",
		minLength: 1,
		maxLength: 200,
		pattern: "^\\S(.*\\S)?$",
		"x-message": "must be a reference of 1 to 200 characters without surrounding spaces"
	},
	dateTime: {
		type: "string",
		format: "date-time"
	},
	sha256: {
		type: "string",
		pattern: "^[0-9a-f]{64}$"
	},
	digestSet: {
		type: "object",
		additionalProperties: false,
		required: [
			"sha256"
		],
		properties: {
			sha256: {
				$ref: "#/$defs/sha256"
			}
		}
	},
	notifiable: {
		description: "Art. 33(1): whether the supervisory authority must be notified.",
		"enum": [
			"required",
			"not-required",
			"pending"
		],
		"x-message": "must be one of required, not-required, pending"
	},
	dataSubjectsInformed: {
		description: "Art. 34: whether the data subjects must be informed.",
		"enum": [
			"required",
			"not-required",
			"pending"
		],
		"x-message": "must be one of required, not-required, pending"
	},
	justificationRule: {
		"x-message": "notifiable not-required needs a justification (Art. 33(1): why the breach is unlikely to result in a risk)",
		"x-path": "/justification",
		"if": {
			required: [
				"notifiable"
			],
			properties: {
				notifiable: {
					"const": "not-required"
				}
			}
		},
		then: {
			required: [
				"justification"
			]
		}
	},
	breachInput: {
		description: "The Art. 33 and Art. 34 assessment as far as it is known; `pending` by default.",
		type: "object",
		additionalProperties: false,
		properties: {
			notifiable: {
				$ref: "#/$defs/notifiable"
			},
			justification: {
				$ref: "#/$defs/summary"
			},
			authorityNotifiedAt: {
				$ref: "#/$defs/dateTime"
			},
			authorityReference: {
				$ref: "#/$defs/reference"
			},
			dataSubjectsInformed: {
				$ref: "#/$defs/dataSubjectsInformed"
			}
		},
		allOf: [
			{
				$ref: "#/$defs/justificationRule"
			}
		]
	},
	release: {
		type: "object",
		additionalProperties: false,
		required: [
			"tag",
			"manifestDigest"
		],
		properties: {
			tag: {
				$ref: "#/$defs/tag"
			},
			manifestDigest: {
				$ref: "#/$defs/digestSet"
			},
			changeRecordDigest: {
				$ref: "#/$defs/digestSet"
			}
		}
	},
	record: {
		description: "The complete record the action writes as withdrawal.json (RFC 8785 canonical JSON) and signs as the predicate of an in-toto Statement with predicateType https://immutable-release.dev/withdrawal/v1, whose subjects are the withdrawn release's manifest and every artifact it lists.",
		type: "object",
		additionalProperties: false,
		required: [
			"recordVersion",
			"repository",
			"withdrawn",
			"reason",
			"summary",
			"run",
			"withdrawnAt"
		],
		properties: {
			recordVersion: {
				"const": 1
			},
			repository: {
				type: "string",
				pattern: "^[^/\\s]+/[^/\\s]+$"
			},
			withdrawn: {
				$ref: "#/$defs/release"
			},
			reason: {
				$ref: "#/$defs/reason"
			},
			summary: {
				$ref: "#/$defs/summary"
			},
			incidentReference: {
				$ref: "#/$defs/reference"
			},
			replacement: {
				type: "object",
				additionalProperties: false,
				required: [
					"tag",
					"manifestDigest"
				],
				properties: {
					tag: {
						$ref: "#/$defs/tag"
					},
					manifestDigest: {
						$ref: "#/$defs/digestSet"
					}
				}
			},
			run: {
				type: "object",
				additionalProperties: false,
				required: [
					"url",
					"workflowRef",
					"commit"
				],
				properties: {
					url: {
						type: "string",
						format: "uri"
					},
					workflowRef: {
						type: "string"
					},
					commit: {
						type: "string",
						pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$"
					}
				}
			},
			withdrawnAt: {
				$ref: "#/$defs/dateTime"
			},
			breach: {
				type: "object",
				additionalProperties: false,
				required: [
					"awareAt",
					"notificationDeadline",
					"notifiable",
					"dataSubjectsInformed"
				],
				properties: {
					awareAt: {
						$ref: "#/$defs/dateTime"
					},
					notificationDeadline: {
						$ref: "#/$defs/dateTime"
					},
					notifiable: {
						$ref: "#/$defs/notifiable"
					},
					justification: {
						$ref: "#/$defs/summary"
					},
					authorityNotifiedAt: {
						$ref: "#/$defs/dateTime"
					},
					authorityReference: {
						$ref: "#/$defs/reference"
					},
					dataSubjectsInformed: {
						$ref: "#/$defs/dataSubjectsInformed"
					}
				},
				allOf: [
					{
						$ref: "#/$defs/justificationRule"
					}
				]
			},
			approvals: {
				type: "array",
				maxItems: 50,
				items: {
					$ref: "https://immutable-release.dev/schemas/change-record.v1.json#/$defs/approval",
					properties: {
						approver: {
							$ref: "https://immutable-release.dev/schemas/change-record.v1.json#/$defs/pseudonym"
						}
					}
				}
			}
		},
		allOf: [
			{
				"x-message": "a personal-data-breach withdrawal must carry the Art. 33 block (breach)",
				"x-path": "/breach",
				"if": {
					required: [
						"reason"
					],
					properties: {
						reason: {
							"const": "personal-data-breach"
						}
					}
				},
				then: {
					required: [
						"breach"
					]
				}
			},
			{
				"x-message": "breach is only for reason personal-data-breach",
				"x-path": "/breach",
				"if": {
					required: [
						"reason"
					],
					properties: {
						reason: {
							not: {
								"const": "personal-data-breach"
							}
						}
					}
				},
				then: {
					not: {
						required: [
							"breach"
						]
					}
				}
			}
		]
	}
};
var schema = {
	$schema: $schema,
	$id: $id,
	title: title,
	description: description,
	type: type,
	additionalProperties: additionalProperties,
	required: required,
	properties: properties,
	allOf: allOf,
	$defs: $defs
};

const RUN_FILLED_FIELDS = [
  "recordVersion",
  "repository",
  "withdrawn",
  "replacement",
  "run",
  "withdrawnAt",
  "notificationDeadline",
  "awareAt"
];
let compiled;
function validators() {
  if (compiled) return compiled;
  const ajv = schemaValidator([changeRecordSchema, schema], true);
  const input = ajv.getSchema(schema.$id);
  const record = ajv.getSchema(`${schema.$id}#/$defs/record`);
  if (!input || !record) throw new Error("withdrawal schema failed to compile");
  compiled = { input, record };
  return compiled;
}
const EXPLAIN = {
  input: {
    filledFields: RUN_FILLED_FIELDS,
    // `breach.awareAt` and `breach.notificationDeadline` are computed too.
    filledAnywhere: true,
    filledMessage: "is filled in by the action and must not be set in the withdrawal record file",
    unknownMessage: "is not a known field (check the spelling against schemas/withdrawal.v1.json)"
  },
  record: {
    filledFields: [],
    filledAnywhere: false,
    filledMessage: "",
    unknownMessage: "is not a known field (check the spelling against schemas/withdrawal.v1.json)"
  }
};
function violationsOf(doc, which) {
  const validate = validators()[which];
  return validate(doc) ? [] : explainSchemaErrors(validate.errors ?? [], EXPLAIN[which]);
}
function validateWithdrawalRecord(doc) {
  return violationsOf(doc, "record");
}
function validateWithdrawalInput(doc) {
  return violationsOf(doc, "input");
}

export { WITHDRAWAL_PREDICATE_TYPE as W, validateWithdrawalInput as a, validateWithdrawalRecord as v };
