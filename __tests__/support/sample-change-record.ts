// A valid change record, as a team would commit it beside its release workflow. Its approver is
// a seeded identifier that must only ever appear as a pseudonym. Used by the end-to-end tests
// and by `npm run demo`.
export const SAMPLE_CHANGE_RECORD_YAML = `change:
  id: CHG-2041
  title: Release 1.0.0 of the widget service
  summary: First stable release with export to CSV.
  reason: Customers asked for CSV export of their own order history.
  type: normal
  ticketUrl: https://tracker.example/CHG-2041
  risk: low
  impact: medium
  configurationItems: [widget-api]
  implementationPlan: Roll out with the standard deployment pipeline.
  testPlan: Integration tests and a staged rollout.
  backoutPlan: Redeploy the previous release.
  approvals:
    - role: change-manager
      decision: approved
      time: '2026-01-01T09:00:00Z'
      approver: alice.approver
  cab:
    required: false
personalData:
  impact: low
  role: controller
  ropaReference: ROPA-12
  purposes:
    added: [essential.service.operations]
  dataCategories:
    added: [user.financial]
  lawfulBasis:
    added:
      - basis: 6(1)(b)
        purpose: essential.service.operations
  retention:
    added:
      - dataCategory: user.financial
        period: P10Y
        policyReference: RET-POL-7
  dpia:
    required: false
    status: not-required
`

/** The approver's plain identifier in the sample (the personal datum the tests look for). */
export const SAMPLE_APPROVER = 'alice.approver'
