/**
 * A webpack loader for tests/workflow/rule-change.test.ts: it edits one module's source while the
 * workflow code is bundled, the way a developer would correct a rule, and refuses to run when the
 * text to replace is not there (so the test cannot pass by editing nothing).
 */
module.exports = function ruleChangeLoader(source) {
  const { from, to } = this.getOptions();
  if (!source.includes(from))
    throw new Error(`rule-change-loader: ${this.resourcePath} does not contain ${JSON.stringify(from)}`);
  return source.replace(from, to);
};
