// ESLint (flat config) with typescript-eslint's recommended rules: https://typescript-eslint.io/getting-started
// Every rule of the recommended sets is on for the library; the few settings below say why they differ.
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Inputs that are wrong on purpose (test/bad-input, the fixtures) and build output are not linted.
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'test/bad-input/**'] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    // Everything here runs on Node (the scripts and bin/ are plain .mjs/.js).
    languageOptions: { globals: globals.node },
    rules: {
      // A leading underscore marks a name kept on purpose: a method's parameter a subclass uses, or a key
      // taken out of an object by destructuring ({ engine: _engine, ...rest }).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Tests and the column-aligned CLI output they match (`NAME   STATUS`) read better with the spaces written out.
      'no-regex-spaces': 'off',
    },
  },
  {
    files: ['test/**'],
    rules: {
      // A test walks a parsed YAML or JSON document (type Doc = Record<string, any>) whose shape is what it asserts.
      '@typescript-eslint/no-explicit-any': 'off',
      // Tests strip the terminal's colour escapes (\x1b[...m) from what a CLI printed.
      'no-control-regex': 'off',
    },
  },
);
