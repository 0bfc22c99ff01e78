// The pure pipeline for one node: validated resources -> intent -> FRR text
// and device plan. Used by the reconciler, the dry-run planner and goldens.
import type { KnownResource } from '../resources/schema.ts';
import type { NodeIntent } from '../translate/intent.ts';
import { translate } from '../translate/translate.ts';
import { type DevicePlan, planDevices } from './devices.ts';
import { renderEmptyFrr, renderFrr } from './frr.ts';
import { NO_SECRETS, type SecretReader } from './frr-sessions.ts';
import type { TemplateSet } from './template.ts';

export interface NodeRender {
  intent: NodeIntent | undefined;
  frr: string;
  devices: DevicePlan;
}

export function renderNode(
  resources: KnownResource[],
  node: string,
  templates: TemplateSet,
  read: SecretReader = NO_SECRETS,
): NodeRender {
  const intent = translate(resources, node);
  return {
    intent,
    frr: intent ? renderFrr(intent, templates, read) : renderEmptyFrr(node),
    devices: planDevices(intent),
  };
}
