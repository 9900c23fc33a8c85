import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StackguideEvent } from '../../src/events.ts';
import {
  afterInstallChecklist,
  afterInstallMarkdown,
  saveAfterInstallFile,
} from '../../src/install/after-install-file.ts';
import { tempDir } from '../support/temp-dir.ts';

/** opensarlab's checklist, filled in as an install of geo-class fills it. */
const TAG =
  'aws eks tag-resource --region us-east-1 --resource-arn arn:aws:eks:us-east-1:123456789012:cluster/geo-class-cluster --tags osl-deployment=geo-class';
const KUBECONFIG =
  'aws eks update-kubeconfig --region us-east-1 --name geo-class-cluster --role-arn <cluster-access role ARN>';
const ITEMS = [
  {
    title: "Update deployment_url in the cluster repository's opensarlab/opensarlab.yaml",
    details: ['Then point your DNS record for opensarlab.example.edu at the load balancer.'],
  },
  { title: 'Add the cost allocation tag to the EKS cluster', details: [TAG] },
  {
    title: 'Let your IAM identity manage the cluster, and configure kubectl',
    details: ['Add your role or user to the trust policy of the cluster-access role.', KUBECONFIG],
  },
  { title: 'Create a test notification in the calendar', details: [] },
];
const RUN = {
  deployment: 'geo-class',
  blueprint: 'opensarlab 1.2.0',
  region: 'us-east-1',
  account: '123456789012',
  writtenAt: new Date('2026-12-03T19:30:00Z'),
};

let cleanup: (() => Promise<void>) | undefined;
afterEach(() => cleanup?.());

describe('the after-install file', () => {
  it('is a Markdown checklist: a header naming the deployment, each title a box, each command whole in a code block', () => {
    const text = afterInstallMarkdown(RUN, ITEMS);
    expect(text).toMatch(/^# After installing geo-class\n/);
    expect(text).toContain(
      'Deployment geo-class (opensarlab 1.2.0) in account 123456789012, region us-east-1.',
    );
    expect(text).toContain('2026-12-03T19:30:00.000Z');
    for (const item of ITEMS) expect(text).toContain(`\n- [ ] ${item.title}\n`);
    // A command is on one line, alone in its fenced block: it pastes whole.
    for (const command of [TAG, KUBECONFIG]) expect(text).toContain(`  \`\`\`sh\n  ${command}\n  \`\`\`\n`);
    // Words are a paragraph of the item, not code.
    expect(text).toContain(
      '\n  Then point your DNS record for opensarlab.example.edu at the load balancer.\n',
    );
    expect(text).not.toContain('```sh\n  Then point');
    expect(text.endsWith('\n- [ ] Create a test notification in the calendar\n')).toBe(true);
  });

  it('is written whole beside the event log and said, replaced by the next install, and removed when there is no checklist', async () => {
    const folder = await tempDir();
    cleanup = folder.remove;
    const events: StackguideEvent[] = [];
    const emit = (event: StackguideEvent) => events.push(event);
    const path = await saveAfterInstallFile(emit, folder.path, ITEMS, RUN);
    expect(path).toBe(join(folder.path, 'after-install.md'));
    expect(events).toEqual([{ type: 'file.written', path, description: 'the after-install checklist' }]);
    expect(await readFile(join(folder.path, 'after-install.md'), 'utf8')).toBe(
      afterInstallMarkdown(RUN, ITEMS),
    );
    const [, second] = ITEMS;
    await saveAfterInstallFile(emit, folder.path, second ? [second] : [], RUN);
    const replaced = await readFile(join(folder.path, 'after-install.md'), 'utf8');
    expect(replaced).toContain(TAG);
    expect(replaced).not.toContain('deployment_url');
    // No temporary file is left beside it.
    expect(await readdir(folder.path)).toEqual(['after-install.md']);
    expect(await saveAfterInstallFile(emit, folder.path, [], RUN)).toBeUndefined();
    expect(await readdir(folder.path)).toEqual([]);
    // Nothing written, nothing said.
    expect(events).toHaveLength(2);
  });

  it('is filled in from the deployment, the answers and the outputs, and never holds a secret an output echoes', () => {
    const secret = 'pw-Never-Shown-7d1e';
    const items = afterInstallChecklist(
      [
        { title: 'Sign up at https://{{answers.domain}}', details: [] },
        {
          title: 'Connect the reports',
          details: [
            'psql {{stacks.db.outputs.Url}} --file reports.sql',
            'aws eks tag-resource --region {{region}} --resource-arn arn:aws:eks:{{region}}:{{account}}:cluster/{{deployment}}-cluster',
            'Open {{stacks.db.outputs.Missing}}',
          ],
        },
      ],
      {
        deployment: 'geo-class',
        region: 'us-east-1',
        account: '123456789012',
        answers: { domain: 'osl.example.edu' },
      },
      { db: { outputs: { Url: `postgres://admin:${secret}@db.internal:5432/osl` } } },
      [secret],
    );
    const text = afterInstallMarkdown(RUN, items);
    expect(text).toContain('- [ ] Sign up at https://osl.example.edu');
    expect(text).toContain(
      '  aws eks tag-resource --region us-east-1 --resource-arn arn:aws:eks:us-east-1:123456789012:cluster/geo-class-cluster\n',
    );
    expect(text).toContain('psql •••••••• (secret) --file reports.sql');
    // An output the stack does not publish is said, not left as a placeholder that looks like a value.
    expect(text).toMatch(/Open \{\{stacks\.db\.outputs\.Missing\}\} \(not filled in: /);
    for (let start = 0; start + 4 <= secret.length; start += 1)
      expect(text).not.toContain(secret.slice(start, start + 4));
  });

  it('is a warning, not a failure, when it cannot be written: the last file stays and no temporary one is left', async () => {
    const folder = await tempDir();
    cleanup = folder.remove;
    await writeFile(join(folder.path, 'after-install.md'), 'the last one\n');
    const events: StackguideEvent[] = [];
    const missing = join(folder.path, 'missing');
    expect(await saveAfterInstallFile((event) => events.push(event), missing, ITEMS, RUN)).toBeUndefined();
    expect(events).toEqual([
      {
        type: 'warning',
        code: 'after-install.write',
        message: expect.stringMatching(
          `^The after-install checklist could not be written to ${missing}: ENOENT`,
        ),
      },
    ]);
    expect(await readdir(folder.path)).toEqual(['after-install.md']);
  });
});
