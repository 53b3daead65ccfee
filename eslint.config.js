import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const NO_TEST_SUPPORT = { group: ['**/__tests__/**'], message: 'src/ never imports test support.' }
const RUNNER_ONLY_IN_ACTION = {
  name: '@actions/core',
  message: 'Only src/action/ talks to the runner.',
}
/**
 * One way between folders: a capability is used only through its index.ts, so what a folder
 * exports is what the rest of src/ may depend on. src/util/ is exempt: its modules are the
 * shared leaves, imported one by one so an entry's start-up loads only what it uses.
 */
const throughIndexOnly = (up) => ({
  regex: `^${'\\.\\./'.repeat(up)}(?!util/|\\.\\./)[^/]+/(?!index\\.ts$)`,
  message: "Across folders, import only '../<folder>/index.ts'.",
})

function importRules() {
  const block = (files, ignores, runnerAllowed, up) => ({
    files,
    ignores,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: runnerAllowed ? [] : [RUNNER_ONLY_IN_ACTION],
          patterns: [NO_TEST_SUPPORT, throughIndexOnly(up)],
        },
      ],
    },
  })
  return [
    block(['src/*/*.ts'], ['src/action/**'], false, 1),
    block(['src/*/*/*.ts'], ['src/action/**'], false, 2),
    block(['src/action/*.ts'], [], true, 1),
    block(['src/action/*/*.ts'], [], true, 2),
    // Sub-action entries (src/withdraw-action/ ...) are entry points: they talk to the runner
    // and share the release action's runner services in src/action/.
    {
      files: ['src/*-action/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              NO_TEST_SUPPORT,
              {
                regex: '^\\.\\./(?!util/|action/|\\.\\./)[^/]+/(?!index\\.ts$)',
                message: "Across folders, import only '../<folder>/index.ts' (or src/action/).",
              },
            ],
          },
        ],
      },
    },
  ]
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Import rules for src/. Later blocks replace a rule's whole setting, so every block lists
  // all the restrictions that apply to its files.
  ...importRules(),
)
