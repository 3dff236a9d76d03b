#!/bin/sh
# Sidecar of the mongodb StatefulSet: makes this pod a member of the replica set and creates
# the users. Pod 0 initiates the set once (with itself) and, through the localhost exception
# (no user exists yet), creates `root`; then, as root, the api's user `backlog` (readWrite on
# APP_DB). Every other pod asks the primary, as root, to add it. Then it idles until the pod
# stops. Safe to run again: it changes nothing that is in place.
set -eu
export HOME=/tmp
# Fully qualified name from /etc/hosts (mongodb-0.mongodb.<namespace>.svc.<cluster domain>).
self="$(hostname -f 2>/dev/null || echo "${HOSTNAME}.${SERVICE_NAME}"):27017"
ordinal="${HOSTNAME##*-}"
seed="${HOSTNAME%-*}-0.${SERVICE_NAME}:27017"
as_root() { mongosh --quiet --username root --password "$ROOT_PASSWORD" --authenticationDatabase admin "$@"; }

until mongosh --quiet --eval 'db.adminCommand({ ping: 1 }).ok' >/dev/null 2>&1; do sleep 2; done

if [ "$ordinal" = "0" ]; then
  if ! as_root --eval 'rs.status().ok' >/dev/null 2>&1; then
    mongosh --quiet --eval "
      try {
        rs.initiate({ _id: '${REPLICA_SET}', members: [{ _id: 0, host: '${self}' }] });
        print('replica set ${REPLICA_SET} initiated with ${self}');
      } catch (e) {
        if (e.codeName !== 'AlreadyInitialized') throw e;
      }
      while (!db.hello().isWritablePrimary) sleep(500);
      db.getSiblingDB('admin').createUser({ user: 'root', pwd: process.env.ROOT_PASSWORD, roles: ['root'] });
      print('user root created');"
  fi
  as_root --eval "
    const admin = db.getSiblingDB('admin');
    if (!admin.getUser('backlog')) {
      admin.createUser({ user: 'backlog', pwd: process.env.APP_PASSWORD, roles: [{ role: 'readWrite', db: '${APP_DB}' }] });
      print('user backlog created');
    }"
else
  until as_root "mongodb://${seed}/?replicaSet=${REPLICA_SET}" --eval "
    if (rs.conf().members.some((m) => m.host === '${self}')) {
      print('${self} is already a member of ${REPLICA_SET}');
    } else {
      rs.add('${self}');
      print('${self} added to ${REPLICA_SET}');
    }"; do
    sleep 5
  done
fi

trap 'exit 0' TERM INT
while true; do
  sleep 3600 &
  wait $!
done
