// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const ioModules = [
  'node:*',
  'kafkajs',
  'better-sqlite3',
  'prom-client',
  'pino',
  'pino-*',
  'net-snmp',
  '@opentelemetry/sdk-*',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.kafka/**', 'coverage/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The pure core: no I/O, no clock. Time arrives in observations.
    files: ['src/domain/**/*.ts', 'src/junos/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ioModules, message: 'src/domain and src/junos are pure: no I/O imports.' },
            {
              regex: '^(fs|net|dgram|http|https|tls|child_process|os|worker_threads)(/.*)?$',
              message: 'src/domain and src/junos are pure: no I/O imports.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The pure core reads no environment.' },
        { name: 'setTimeout', message: 'The pure core reads no clock.' },
        { name: 'setInterval', message: 'The pure core reads no clock.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'The pure core reads no clock: time arrives in observations.',
        },
        { object: 'Math', property: 'random', message: 'The pure core uses no randomness.' },
        { object: 'performance', property: 'now', message: 'The pure core reads no clock.' },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
