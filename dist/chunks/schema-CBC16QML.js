import { x as changeRecordSchema } from './change-record.v1-PQwpiILr.js';
import { e as explainSchemaErrors, s as schemaValidator } from './policy-DjAvqSWB.js';

const CHANGE_RECORD_PREDICATE_TYPE = "https://immutable-release.dev/change-record/v1";
const CHANGE_RECORD_ANNOTATION_KEY = "immutable-release.dev/change-record";

var $schema = "https://json-schema.org/draft/2020-12/schema";
var $id = "https://immutable-release.dev/schemas/change-record.v2.json";
var title = "immutable-release change record input, version 2";
var description = "What a person writes in the file named by the `change-record` input: the change request (ITIL / ServiceNow style) and what the change does to personal data (GDPR Art. 30 record of processing activities). The release's repository, commit, tag, manifest digest, hash-chain link, run URL, time and nonce are filled in from the workflow run and must not appear here. Every version 1 input file is a valid version 2 input file. `$defs/record` describes the complete record the action writes as change-record.json. Strings here end up in a public, permanent, signed record: write roles and references, never names, e-mail addresses or other personal data. Version 2 adds medium impact, Art. 10 data, DPIA triggers, sub-processors, transfer mechanism details, event-based retention and named lawful bases; the rules a data-protection officer checks (DPIA, approvals, transfers, processors, retention, lawful basis) are applied by the action's policy (docs/gdpr.md), not by this schema.";
var type = "object";
var additionalProperties = false;
var required = [
	"change",
	"personalData"
];
var properties = {
	$schema: {
		description: "Lets editors find this schema. Not copied into the record.",
		type: "string"
	},
	change: {
		$ref: "#/$defs/change"
	},
	personalData: {
		$ref: "#/$defs/personalData"
	}
};
var $defs = {
	text: {
		type: "string",
		minLength: 1,
		maxLength: 4000
	},
	shortText: {
		type: "string",
		minLength: 1,
		maxLength: 200
	},
	reference: {
		description: "An identifier in another system (ticket, DPIA register, RoPA entry, contract).",
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
	level: {
		"enum": [
			"low",
			"medium",
			"high"
		],
		"x-message": "must be one of low, medium, high"
	},
	approval: {
		description: "One authority's decision. `approver` is pseudonymised in the record (or left out when no pseudonymisation key is configured): `@login` or `github:login` for a GitHub account, an e-mail address, or any other stable identifier such as an employee number.",
		type: "object",
		additionalProperties: false,
		required: [
			"role",
			"decision"
		],
		properties: {
			role: {
				$ref: "#/$defs/shortText",
				description: "The change authority the approver acted as: Change Manager, CAB, ECAB, Service Owner, DPO ..."
			},
			decision: {
				"enum": [
					"approved",
					"rejected",
					"approved-with-conditions",
					"deferred",
					"abstained"
				],
				"x-message": "must be one of approved, rejected, approved-with-conditions, deferred, abstained"
			},
			time: {
				$ref: "#/$defs/dateTime"
			},
			approver: {
				$ref: "#/$defs/shortText"
			},
			conditions: {
				$ref: "#/$defs/text"
			}
		}
	},
	change: {
		description: "The change request. Field names follow ITIL 4 change enablement and the ServiceNow change_request table.",
		type: "object",
		additionalProperties: false,
		required: [
			"id",
			"title",
			"reason",
			"type"
		],
		properties: {
			id: {
				description: "The change request number, e.g. CHG0031234.",
				type: "string",
				pattern: "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$",
				"x-message": "must be a change number of 1 to 64 letters, digits and . _ : / -, e.g. CHG0031234"
			},
			title: {
				$ref: "#/$defs/shortText"
			},
			summary: {
				$ref: "#/$defs/text"
			},
			reason: {
				$ref: "#/$defs/text",
				description: "Why the change is made: its purpose and the business justification."
			},
			type: {
				"enum": [
					"standard",
					"normal",
					"emergency"
				],
				"x-message": "must be one of standard, normal, emergency"
			},
			ticketUrl: {
				type: "string",
				format: "uri",
				pattern: "^https://",
				maxLength: 2000,
				"x-message": "must be an https:// URL of the change ticket"
			},
			risk: {
				$ref: "#/$defs/level"
			},
			impact: {
				$ref: "#/$defs/level"
			},
			configurationItems: {
				description: "The systems and components the change touches (CMDB configuration items).",
				type: "array",
				uniqueItems: true,
				maxItems: 200,
				items: {
					$ref: "#/$defs/shortText"
				}
			},
			schedule: {
				type: "object",
				additionalProperties: false,
				properties: {
					plannedStart: {
						$ref: "#/$defs/dateTime"
					},
					plannedEnd: {
						$ref: "#/$defs/dateTime"
					}
				}
			},
			implementationPlan: {
				$ref: "#/$defs/text"
			},
			testPlan: {
				$ref: "#/$defs/text"
			},
			backoutPlan: {
				$ref: "#/$defs/text"
			},
			approvals: {
				type: "array",
				maxItems: 50,
				items: {
					$ref: "#/$defs/approval"
				}
			},
			cab: {
				description: "Change Advisory Board involvement.",
				type: "object",
				additionalProperties: false,
				required: [
					"required"
				],
				properties: {
					required: {
						type: "boolean"
					},
					recommendation: {
						"enum": [
							"approve",
							"reject",
							"defer",
							"not-reviewed"
						],
						"x-message": "must be one of approve, reject, defer, not-reviewed"
					},
					meetingReference: {
						$ref: "#/$defs/reference"
					}
				}
			}
		},
		allOf: [
			{
				"x-message": "normal and emergency changes must be authorised: list at least one entry under change.approvals (ITIL change authority)",
				"x-path": "/approvals",
				"if": {
					required: [
						"type"
					],
					properties: {
						type: {
							"enum": [
								"normal",
								"emergency"
							]
						}
					}
				},
				then: {
					required: [
						"approvals"
					],
					properties: {
						approvals: {
							minItems: 1
						}
					}
				}
			}
		]
	},
	fidesDataUse: {
		description: "A fideslang data use (purpose) key, e.g. essential.service.security.",
		type: "string",
		maxLength: 200,
		allOf: [
			{
				pattern: "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$",
				"x-message": "must be a fideslang key: lower-case segments of letters, digits and _ joined by dots, e.g. essential.service.security"
			},
			{
				pattern: "^(analytics|collect|employment|essential|finance|functional|marketing|operations|personalize|sales|third_party_sharing|train_ai_system)(\\.|$)",
				"x-message": "must start with a fideslang data use root: analytics, collect, employment, essential, finance, functional, marketing, operations, personalize, sales, third_party_sharing, train_ai_system"
			}
		]
	},
	fidesDataCategory: {
		description: "A fideslang data category key, e.g. user.contact.email.",
		type: "string",
		maxLength: 200,
		allOf: [
			{
				pattern: "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$",
				"x-message": "must be a fideslang key: lower-case segments of letters, digits and _ joined by dots, e.g. user.contact.email"
			},
			{
				pattern: "^(system|user)(\\.|$)",
				"x-message": "must start with a fideslang data category root: system, user"
			}
		]
	},
	fidesDataSubject: {
		description: "A fideslang data subject key, e.g. customer.",
		type: "string",
		maxLength: 200,
		allOf: [
			{
				pattern: "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$",
				"x-message": "must be a fideslang key: lower-case letters, digits and _, e.g. customer"
			},
			{
				pattern: "^(anonymous_user|citizen_voter|commuter|consultant|customer|employee|job_applicant|next_of_kin|passenger|patient|prospect|shareholder|supplier_vendor|trainee|visitor)(\\.|$)",
				"x-message": "must start with a fideslang data subject: anonymous_user, citizen_voter, commuter, consultant, customer, employee, job_applicant, next_of_kin, passenger, patient, prospect, shareholder, supplier_vendor, trainee, visitor"
			}
		]
	},
	specialCategory: {
		description: "Art. 9(1) special categories of personal data.",
		"enum": [
			"racial-or-ethnic-origin",
			"political-opinions",
			"religious-or-philosophical-beliefs",
			"trade-union-membership",
			"genetic-data",
			"biometric-data-for-identification",
			"health-data",
			"sex-life-or-sexual-orientation"
		],
		"x-message": "must be an Art. 9(1) special category: racial-or-ethnic-origin, political-opinions, religious-or-philosophical-beliefs, trade-union-membership, genetic-data, biometric-data-for-identification, health-data, sex-life-or-sexual-orientation"
	},
	specialCategoryProcessing: {
		type: "object",
		additionalProperties: false,
		required: [
			"category",
			"condition"
		],
		properties: {
			category: {
				$ref: "#/$defs/specialCategory"
			},
			condition: {
				description: "The Art. 9(2) condition that lifts the prohibition.",
				"enum": [
					"9(2)(a)",
					"9(2)(b)",
					"9(2)(c)",
					"9(2)(d)",
					"9(2)(e)",
					"9(2)(f)",
					"9(2)(g)",
					"9(2)(h)",
					"9(2)(i)",
					"9(2)(j)"
				],
				"x-message": "must be an Art. 9(2) condition from 9(2)(a) to 9(2)(j)"
			}
		}
	},
	lawfulBasis: {
		type: "object",
		additionalProperties: false,
		required: [
			"basis"
		],
		properties: {
			basis: {
				description: "Art. 6(1) lawful basis.",
				"enum": [
					"6(1)(a)",
					"6(1)(b)",
					"6(1)(c)",
					"6(1)(d)",
					"6(1)(e)",
					"6(1)(f)",
					"consent",
					"contract",
					"legal-obligation",
					"vital-interests",
					"public-task",
					"legitimate-interests"
				],
				"x-message": "must be an Art. 6(1) lawful basis: 6(1)(a) to 6(1)(f), or consent, contract, legal-obligation, vital-interests, public-task, legitimate-interests"
			},
			purpose: {
				$ref: "#/$defs/fidesDataUse"
			},
			assessmentReference: {
				$ref: "#/$defs/reference",
				description: "For 6(1)(f) (legitimate-interests): the legitimate-interests assessment."
			}
		}
	},
	party: {
		description: "A recipient or processor, named as an organisation (never a person).",
		type: "object",
		additionalProperties: false,
		required: [
			"name"
		],
		properties: {
			name: {
				$ref: "#/$defs/shortText"
			},
			country: {
				$ref: "#/$defs/country"
			},
			contractReference: {
				$ref: "#/$defs/reference",
				description: "For processors, the Art. 28(3) data processing agreement (DPA)."
			},
			subProcessors: {
				type: "array",
				maxItems: 100,
				items: {
					$ref: "#/$defs/subProcessor"
				}
			}
		}
	},
	country: {
		type: "string",
		pattern: "^[A-Z]{2}$",
		"x-message": "must be an ISO 3166-1 alpha-2 country code in capitals, e.g. US"
	},
	transfer: {
		description: "A transfer to a third country or international organisation (Chapter V).",
		type: "object",
		additionalProperties: false,
		required: [
			"country",
			"mechanism"
		],
		properties: {
			country: {
				$ref: "#/$defs/country"
			},
			recipient: {
				$ref: "#/$defs/shortText"
			},
			mechanism: {
				"enum": [
					"adequacy",
					"scc",
					"bcr",
					"derogation-49",
					"sccs",
					"bcrs",
					"derogation"
				],
				"x-message": "must be one of adequacy (Art. 45), scc (Art. 46(2)(c)), bcr (Art. 47), derogation-49 (Art. 49); sccs, bcrs and derogation are the version 1 names of the last three"
			},
			derogation: {
				"enum": [
					"49(1)(a)",
					"49(1)(b)",
					"49(1)(c)",
					"49(1)(d)",
					"49(1)(e)",
					"49(1)(f)",
					"49(1)(g)"
				],
				"x-message": "must be an Art. 49(1) derogation from 49(1)(a) to 49(1)(g)"
			},
			transferImpactAssessment: {
				$ref: "#/$defs/reference"
			},
			module: {
				description: "For scc: the module of the 2021 standard contractual clauses (Commission Implementing Decision (EU) 2021/914).",
				"enum": [
					"C2C",
					"C2P",
					"P2P",
					"P2C"
				],
				"x-message": "must be one of C2C, C2P, P2P, P2C (SCC modules one to four)"
			},
			reference: {
				$ref: "#/$defs/reference",
				description: "For bcr: the approved binding corporate rules (the approving authority's reference)."
			}
		}
	},
	retentionRule: {
		type: "object",
		additionalProperties: false,
		required: [
			"period"
		],
		properties: {
			dataCategory: {
				$ref: "#/$defs/fidesDataCategory"
			},
			period: {
				description: "How long the data is kept: an ISO 8601 duration, or an event and the duration after it ({after: consent-withdrawn, duration: P30D}; P0D for 'until consent is withdrawn').",
				oneOf: [
					{
						$ref: "#/$defs/duration"
					},
					{
						type: "object",
						additionalProperties: false,
						required: [
							"after",
							"duration"
						],
						properties: {
							after: {
								type: "string",
								pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
								maxLength: 64,
								"x-message": "must name the event in lower-case words joined by hyphens, e.g. consent-withdrawn, contract-ended, account-closed"
							},
							duration: {
								$ref: "#/$defs/duration"
							}
						}
					}
				],
				"x-message": "must be an ISO 8601 duration such as P30D, or {after: <event>, duration: <ISO 8601 duration>}"
			},
			policyReference: {
				$ref: "#/$defs/reference"
			}
		}
	},
	delta: {
		description: "What the change adds and removes.",
		type: "object",
		additionalProperties: false,
		minProperties: 1,
		properties: {
			added: {
				type: "array",
				maxItems: 200
			},
			removed: {
				type: "array",
				maxItems: 200
			}
		}
	},
	personalData: {
		description: "What the change does to the processing of personal data, in the terms of the Art. 30 record of processing activities.",
		type: "object",
		additionalProperties: false,
		required: [
			"impact"
		],
		properties: {
			impact: {
				"enum": [
					"none",
					"low",
					"medium",
					"high"
				],
				"x-message": "must be one of none, low, medium, high (unassessed is only set by the action when no change record is given)"
			},
			ropaReference: {
				$ref: "#/$defs/reference",
				description: "The Art. 30 record-of-processing entry this change affects."
			},
			role: {
				"enum": [
					"controller",
					"processor"
				],
				"x-message": "must be one of controller, processor"
			},
			purposes: {
				$ref: "#/$defs/delta",
				properties: {
					added: {
						items: {
							$ref: "#/$defs/fidesDataUse"
						},
						uniqueItems: true
					},
					removed: {
						items: {
							$ref: "#/$defs/fidesDataUse"
						},
						uniqueItems: true
					}
				}
			},
			dataCategories: {
				$ref: "#/$defs/delta",
				properties: {
					added: {
						items: {
							$ref: "#/$defs/fidesDataCategory"
						},
						uniqueItems: true
					},
					removed: {
						items: {
							$ref: "#/$defs/fidesDataCategory"
						},
						uniqueItems: true
					}
				}
			},
			dataSubjects: {
				$ref: "#/$defs/delta",
				properties: {
					added: {
						items: {
							$ref: "#/$defs/fidesDataSubject"
						},
						uniqueItems: true
					},
					removed: {
						items: {
							$ref: "#/$defs/fidesDataSubject"
						},
						uniqueItems: true
					}
				}
			},
			specialCategories: {
				$ref: "#/$defs/delta",
				properties: {
					added: {
						items: {
							$ref: "#/$defs/specialCategoryProcessing"
						}
					},
					removed: {
						items: {
							$ref: "#/$defs/specialCategory"
						},
						uniqueItems: true
					}
				}
			},
			lawfulBasis: {
				$ref: "#/$defs/delta",
				properties: {
					added: {
						items: {
							$ref: "#/$defs/lawfulBasis"
						}
					},
					removed: {
						items: {
							$ref: "#/$defs/lawfulBasis"
						}
					}
				}
			},
			recipients: {
				$ref: "#/$defs/delta",
				properties: {
					added: {
						items: {
							$ref: "#/$defs/party"
						}
					},
					removed: {
						items: {
							$ref: "#/$defs/party"
						}
					}
				}
			},
			processors: {
				$ref: "#/$defs/delta",
				properties: {
					added: {
						items: {
							$ref: "#/$defs/party"
						}
					},
					removed: {
						items: {
							$ref: "#/$defs/party"
						}
					}
				}
			},
			transfers: {
				$ref: "#/$defs/delta",
				properties: {
					added: {
						items: {
							$ref: "#/$defs/transfer"
						}
					},
					removed: {
						items: {
							$ref: "#/$defs/transfer"
						}
					}
				}
			},
			retention: {
				$ref: "#/$defs/delta",
				properties: {
					added: {
						items: {
							$ref: "#/$defs/retentionRule"
						}
					},
					removed: {
						items: {
							$ref: "#/$defs/retentionRule"
						}
					}
				}
			},
			securityMeasures: {
				$ref: "#/$defs/delta",
				description: "Art. 32 technical and organisational measures.",
				properties: {
					added: {
						items: {
							$ref: "#/$defs/shortText"
						},
						uniqueItems: true
					},
					removed: {
						items: {
							$ref: "#/$defs/shortText"
						},
						uniqueItems: true
					}
				}
			},
			dpia: {
				description: "Art. 35 data protection impact assessment.",
				type: "object",
				additionalProperties: false,
				properties: {
					required: {
						type: "boolean"
					},
					reference: {
						$ref: "#/$defs/reference"
					},
					status: {
						"enum": [
							"not-started",
							"in-progress",
							"completed",
							"approved",
							"not-required"
						],
						"x-message": "must be one of not-started, in-progress, completed, approved, not-required"
					}
				}
			},
			breachReference: {
				$ref: "#/$defs/reference",
				description: "The breach register entry when this change causes or remedies a personal data breach (Art. 33(5), 34)."
			},
			roleContacts: {
				description: "Functional mailboxes (privacy@, dpo@ ...) that may appear in the record. Never a person's own address.",
				type: "array",
				maxItems: 20,
				items: {
					type: "object",
					additionalProperties: false,
					required: [
						"role",
						"email"
					],
					properties: {
						role: {
							$ref: "#/$defs/shortText"
						},
						email: {
							type: "string",
							format: "email",
							maxLength: 254
						}
					}
				}
			},
			criminalOffenceData: {
				description: "The change processes personal data relating to criminal convictions and offences (Art. 10).",
				type: "boolean"
			},
			systematicMonitoring: {
				description: "The processing systematically monitors people (Art. 35(3)(c)): a DPIA is required.",
				type: "boolean"
			},
			largeScale: {
				description: "The processing is large-scale (Art. 35(3)(b), EDPB WP248): a DPIA is required.",
				type: "boolean"
			}
		},
		allOf: [
			{
				"x-message": "personalData.impact is none, yet the change adds purposes, data categories, data subjects, special categories or transfers: assess the impact as low or high",
				"if": {
					required: [
						"impact"
					],
					properties: {
						impact: {
							"const": "none"
						}
					}
				},
				then: {
					properties: {
						purposes: {
							properties: {
								added: {
									maxItems: 0
								}
							}
						},
						dataCategories: {
							properties: {
								added: {
									maxItems: 0
								}
							}
						},
						dataSubjects: {
							properties: {
								added: {
									maxItems: 0
								}
							}
						},
						specialCategories: {
							properties: {
								added: {
									maxItems: 0
								}
							}
						},
						transfers: {
							properties: {
								added: {
									maxItems: 0
								}
							}
						}
					}
				}
			}
		]
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
	pseudonym: {
		type: "string",
		pattern: "^ps:[0-9a-z-]{1,32}:[0-9a-f]{32}$"
	},
	record: {
		description: "The complete record the action writes as change-record.json (RFC 8785 canonical JSON) and signs as the predicate of an in-toto Statement with predicateType https://immutable-release.dev/change-record/v2.",
		type: "object",
		additionalProperties: false,
		required: [
			"recordVersion",
			"release",
			"chain",
			"run",
			"createdAt",
			"nonce",
			"identifiers",
			"signing",
			"personalData"
		],
		properties: {
			recordVersion: {
				"const": 2
			},
			release: {
				type: "object",
				additionalProperties: false,
				required: [
					"repository",
					"commit",
					"tag",
					"manifest"
				],
				properties: {
					repository: {
						type: "string",
						pattern: "^[^/\\s]+/[^/\\s]+$"
					},
					commit: {
						type: "string",
						pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$"
					},
					tag: {
						type: "string",
						minLength: 1
					},
					pushedTag: {
						description: "Present when the release adopted a tag that was pushed (the run was started by the push) instead of creating it: the object its ref named and, for an annotated tag, the tagger date. The tagger's name and e-mail are never recorded.",
						type: "object",
						additionalProperties: false,
						required: [
							"objectType",
							"objectSha"
						],
						properties: {
							objectType: {
								"enum": [
									"tag",
									"commit"
								]
							},
							objectSha: {
								type: "string",
								pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$"
							},
							taggerDate: {
								type: "string",
								format: "date-time"
							}
						}
					},
					manifest: {
						type: "object",
						additionalProperties: false,
						required: [
							"name",
							"digest"
						],
						properties: {
							name: {
								"const": "release-manifest.json"
							},
							digest: {
								$ref: "#/$defs/digestSet"
							}
						}
					}
				}
			},
			chain: {
				type: "object",
				additionalProperties: false,
				required: [
					"previous"
				],
				properties: {
					previous: {
						oneOf: [
							{
								type: "null"
							},
							{
								type: "object",
								additionalProperties: false,
								required: [
									"tag",
									"manifestDigest"
								],
								properties: {
									tag: {
										type: "string",
										minLength: 1
									},
									manifestDigest: {
										$ref: "#/$defs/digestSet"
									},
									changeRecordDigest: {
										$ref: "#/$defs/digestSet"
									}
								}
							}
						]
					},
					withdrawals: {
						description: "Withdrawals (withdrawn/<tag> releases) published since the previous release, newest first: the tag withdrawn and the SHA-256 of its withdrawal.json.",
						type: "array",
						minItems: 1,
						maxItems: 1000,
						items: {
							type: "object",
							additionalProperties: false,
							required: [
								"tag",
								"withdrawalDigest"
							],
							properties: {
								tag: {
									type: "string",
									minLength: 1
								},
								withdrawalDigest: {
									$ref: "#/$defs/digestSet"
								}
							}
						}
					},
					commits: {
						type: "object",
						additionalProperties: false,
						required: [
							"to",
							"count"
						],
						properties: {
							from: {
								type: "string",
								pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$"
							},
							to: {
								type: "string",
								pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$"
							},
							count: {
								type: "integer",
								minimum: 0
							}
						}
					}
				}
			},
			run: {
				type: "object",
				additionalProperties: false,
				required: [
					"url",
					"workflowRef",
					"eventName"
				],
				properties: {
					url: {
						type: "string",
						format: "uri"
					},
					workflowRef: {
						type: "string"
					},
					eventName: {
						type: "string"
					}
				}
			},
			createdAt: {
				$ref: "#/$defs/dateTime"
			},
			nonce: {
				type: "string",
				pattern: "^[0-9a-f]{32}$"
			},
			identifiers: {
				oneOf: [
					{
						"const": "omitted-no-key"
					},
					{
						type: "object",
						additionalProperties: false,
						required: [
							"scheme",
							"keyId",
							"domain"
						],
						properties: {
							scheme: {
								"const": "hmac-sha256-128"
							},
							keyId: {
								type: "string",
								pattern: "^[0-9a-z-]{1,32}$"
							},
							domain: {
								description: "The pseudonymisation domain (the repository id or the pseudonymization-domain input); part of the MAC.",
								type: "string",
								pattern: "^[0-9A-Za-z][0-9A-Za-z._:/-]{0,99}$"
							}
						}
					}
				]
			},
			signing: {
				type: "object",
				additionalProperties: false,
				required: [
					"transparencyLog",
					"ownerIsPersonalAccount"
				],
				properties: {
					transparencyLog: {
						type: "boolean"
					},
					ownerIsPersonalAccount: {
						type: [
							"boolean",
							"null"
						]
					}
				}
			},
			change: {
				$ref: "#/$defs/change",
				properties: {
					approvals: {
						items: {
							properties: {
								approver: {
									$ref: "#/$defs/pseudonym"
								}
							}
						}
					}
				}
			},
			personalData: {
				oneOf: [
					{
						type: "object",
						additionalProperties: false,
						required: [
							"impact"
						],
						properties: {
							impact: {
								"const": "unassessed"
							}
						}
					},
					{
						$ref: "#/$defs/personalData"
					}
				]
			},
			policy: {
				description: "Present when the release was made with change-record-policy: warn despite findings: the signed record says which rules it broke.",
				type: "object",
				additionalProperties: false,
				required: [
					"mode",
					"findings"
				],
				properties: {
					mode: {
						"const": "warn"
					},
					findings: {
						type: "array",
						minItems: 1,
						maxItems: 200,
						items: {
							type: "object",
							additionalProperties: false,
							required: [
								"rule",
								"path",
								"message"
							],
							properties: {
								rule: {
									type: "string",
									pattern: "^[a-z][a-z-]*$"
								},
								path: {
									type: "string",
									maxLength: 200
								},
								message: {
									type: "string",
									maxLength: 1000
								}
							}
						}
					}
				}
			}
		}
	},
	subProcessor: {
		description: "A processor engaged by a processor (Art. 28(2), (4)).",
		type: "object",
		additionalProperties: false,
		required: [
			"name",
			"country",
			"purpose"
		],
		properties: {
			name: {
				$ref: "#/$defs/shortText"
			},
			country: {
				$ref: "#/$defs/country"
			},
			purpose: {
				$ref: "#/$defs/shortText"
			}
		}
	},
	duration: {
		type: "string",
		pattern: "^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$",
		"x-message": "must be an ISO 8601 duration such as P30D, P6M or P6Y",
		description: "An ISO 8601 duration such as P30D or P6Y."
	}
};
var schemaV2 = {
	$schema: $schema,
	$id: $id,
	title: title,
	description: description,
	type: type,
	additionalProperties: additionalProperties,
	required: required,
	properties: properties,
	$defs: $defs
};

const CHANGE_RECORD_SCHEMA_FILE = "schemas/change-record.v2.json";
const RUN_FILLED_FIELDS = [
  "recordVersion",
  "release",
  "repository",
  "commit",
  "tag",
  "manifest",
  "manifestDigest",
  "chain",
  "previous",
  "commits",
  "run",
  "createdAt",
  "time",
  "nonce",
  "identifiers",
  "signing"
];
const compiled = {};
const EXPLAIN = {
  filledFields: RUN_FILLED_FIELDS,
  filledAnywhere: false,
  filledMessage: "is filled in from the workflow run and must not be set in the change record file",
  unknownMessage: "is not a known field (check the spelling against the schema)"
};
const ALL_ERRORS_MAX_CHARS = 32 * 1024;
function validators(mode) {
  const done = compiled[mode];
  if (done) return done;
  const ajv = schemaValidator([changeRecordSchema, schemaV2], mode === "allErrors");
  const input = ajv.getSchema(schemaV2.$id);
  const record = ajv.getSchema(`${schemaV2.$id}#/$defs/record`);
  const recordV1 = ajv.getSchema(`${changeRecordSchema.$id}#/$defs/record`);
  if (!input || !record || !recordV1) throw new Error("change record schema failed to compile");
  compiled[mode] = { input, record, recordV1 };
  return compiled[mode];
}
function violationsOf(doc, which) {
  const first = validators("firstError")[which];
  if (first(doc)) return [];
  const size = JSON.stringify(doc)?.length ?? 0;
  if (size > ALL_ERRORS_MAX_CHARS) {
    const [violation = { path: "", message: "does not match the schema" }] = explainSchemaErrors(
      first.errors ?? [],
      EXPLAIN
    );
    return [{ ...violation, message: `${violation.message} (the first problem found)` }];
  }
  const all = validators("allErrors")[which];
  return all(doc) ? [] : explainSchemaErrors(all.errors ?? [], EXPLAIN);
}
function validateChangeRecordInput(doc) {
  return violationsOf(doc, "input");
}
function validateChangeRecord(record) {
  const version = record?.recordVersion;
  return violationsOf(record, version === 1 ? "recordV1" : "record");
}

export { CHANGE_RECORD_SCHEMA_FILE as C, CHANGE_RECORD_ANNOTATION_KEY as a, CHANGE_RECORD_PREDICATE_TYPE as b, validateChangeRecord as c, validateChangeRecordInput as v };
