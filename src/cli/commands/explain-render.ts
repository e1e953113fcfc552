import type { ExplainStep } from '../../mapping/chain.js';
import { findFixStep, type Explanation } from '../../mapping/explain.js';
import { BOOTSTRAP_SOURCE_NAME } from '../../mapping/sources/bootstrap.js';
import type { EntryOrigin, VerdictDetail } from '../../mapping/types.js';
import { hasAllParams, isMessageKey, type MessageKey, type Translate } from '../../i18n/catalog.js';
import { colorsFor, type Colors } from '../output.js';
import type { CommandContext } from '../io.js';

function entryName(position: string | undefined, line: string | undefined, t: Translate, unnamed: 'explain.entryUnnamed' | 'explain.winnerUnnamed'): string {
  if (position === undefined) return t(unnamed);
  return line === undefined ? position : t('explain.entryAtLine', { entry: position, line });
}

/** Turns a verdict's params into message params: entry names with their line, translated words. */
function messageParams(detail: VerdictDetail, explanation: Explanation, t: Translate): Record<string, string> {
  const params: Record<string, string> = { ...detail.params };
  params.entry = entryName(detail.params.entry, detail.params.entryLine, t, 'explain.entryUnnamed');
  params.winner = entryName(detail.params.winner, detail.params.winnerLine, t, 'explain.winnerUnnamed');

  const principalType = detail.params.principalType;
  if (principalType === 'user' || principalType === 'principal') params.principalType = t(`explain.principalType.${principalType}`);
  const field = detail.params.field;
  if (field === 'username' || field === 'group') params.field = t(`explain.field.${field}`);
  const { outcome } = explanation;
  if (detail.id === 'NOT_MAPPED' && !outcome.ok && outcome.code === 'NOT_MAPPED') params.error = t('explain.error.notMapped');
  return params;
}

/** Renders a message, or returns the English fallback when the verdict lacks one of its values. */
function renderOr(key: MessageKey, params: Record<string, string>, t: Translate, fallback: string): string {
  return hasAllParams(key, params) ? t(key, params) : fallback;
}

/** Renders a step's message from its template id; steps without one keep their English message. */
export function renderStepMessage(step: ExplainStep, explanation: Explanation, t: Translate): string {
  const { detail } = step;
  if (detail === undefined) return step.message;

  const params = messageParams(detail, explanation, t);
  const key: MessageKey = `explain.step.${detail.id}`;
  if (!hasAllParams(key, params)) return step.message;

  let text = t(key, params);
  if ((detail.id === 'KEY_BROKEN' || detail.id === 'DOCUMENT_INVALID') && params.mentionLine !== undefined) {
    text += t('explain.step.mention', params);
  }
  if (detail.id === 'ENTRY_INVALID' && params.arn !== undefined) text += t('explain.step.related', params);
  return text;
}

/** Renders a step's fix from its template id, or returns the English fix when there is no template. */
export function renderStepFix(step: ExplainStep, explanation: Explanation, t: Translate): string | undefined {
  if (step.fix === undefined) return undefined;
  const key = step.detail === undefined ? '' : `explain.stepFix.${step.detail.id}`;
  if (step.detail === undefined || !isMessageKey(key)) return step.fix;
  return renderOr(key, messageParams(step.detail, explanation, t), t, step.fix);
}

function describeOrigin(origin: EntryOrigin, t: Translate): string {
  const line = origin.line === undefined ? undefined : String(origin.line);
  return entryName(`${origin.key}[${origin.index}]`, line, t, 'explain.entryUnnamed');
}

/**
 * Renders the first fix for a denied caller the way mapping/explain.ts phrases `Explanation.fix`.
 * Returns undefined when the grant command is the fix, because the grant line already shows it.
 */
export function renderPrimaryFix(explanation: Explanation, t: Translate): string | undefined {
  const found = findFixStep(explanation.steps);
  if (found === undefined) return undefined;

  const { step, subject } = found;
  const fix = renderStepFix(step, explanation, t) ?? '';
  if (subject === 'message') return t('explain.fixAfter', { message: renderStepMessage(step, explanation, t), fix });
  if (subject === 'entry' && step.origin !== undefined) {
    return t('explain.fixAt', { source: step.origin.source, entry: describeOrigin(step.origin, t), fix });
  }
  if (subject === 'entry') return t('explain.fixAfter', { message: step.source, fix });
  return fix;
}

function sourceLabel(source: string, t: Translate): string {
  if (source === 'chain') return t('explain.source.chain');
  if (source === BOOTSTRAP_SOURCE_NAME) return t('explain.source.bootstrap');
  return source;
}

function renderStep(step: ExplainStep, index: number, explanation: Explanation, t: Translate, colors: Colors): string[] {
  const mark = step.matched ? colors.ok('✓') : colors.bad('✗');
  const where = step.origin?.line !== undefined ? t('explain.where', { key: step.origin.key, line: step.origin.line }) : '';
  const lines = [`  ${index + 1}. ${mark} [${sourceLabel(step.source, t)}]${where} ${renderStepMessage(step, explanation, t)}`];
  const fix = renderStepFix(step, explanation, t);
  if (fix !== undefined) lines.push(`     ${t('lint.fix')}${fix}`);
  return lines;
}

function renderOutcome(explanation: Explanation, file: string | undefined, t: Translate, colors: Colors): string[] {
  const { outcome } = explanation;
  if (outcome.ok) {
    const groups = outcome.user.groups.length > 0 ? outcome.user.groups.join(', ') : t('explain.noGroups');
    const source = sourceLabel(outcome.user.source, t);
    return [colors.ok(t('explain.mapped', { username: outcome.user.username, groups, source }))];
  }

  const error = outcome.code === 'NOT_MAPPED' ? t('explain.error.notMapped') : outcome.error;
  const lines = [colors.bad(t('explain.unmapped', { error }))];
  const fix = renderPrimaryFix(explanation, t);
  if (fix !== undefined) lines.push(t('explain.fix', { fix }));
  if (explanation.grantCommand) {
    const fileOption = file ? ` --file ${file}` : '';
    lines.push(t('explain.grant', { command: `${explanation.grantCommand}${fileOption}` }));
  }
  return lines;
}

/** Renders the trace as numbered steps, then the result and the fix, in the context's language. */
export function renderExplanation(
  explanation: Explanation,
  options: { readonly file?: string | undefined; readonly output?: string },
  context: CommandContext,
): string {
  const { t } = context;
  const colors = colorsFor(context.io);
  const { identity } = explanation;
  const lines = [t('explain.identity', { arn: identity.arn }), t('explain.canonical', { arn: identity.canonicalArn }), t('explain.steps')];
  explanation.steps.forEach((step, index) => lines.push(...renderStep(step, index, explanation, t, colors)));
  lines.push(...renderOutcome(explanation, options.file, t, colors));
  return `${lines.join('\n')}\n`;
}
