#!/bin/sh
# Sidecar of the mongodb StatefulSet: makes this pod a member of the replica set.
# Pod 0 initiates the set once (with itself); every other pod asks the primary to add it.
# Then it idles until the pod stops. Safe to run again: it changes nothing that is in place.
set -eu
export HOME=/tmp
# Fully qualified name from /etc/hosts (mongodb-0.mongodb.<namespace>.svc.<cluster domain>).
self="$(hostname -f 2>/dev/null || echo "${HOSTNAME}.${SERVICE_NAME}"):27017"
ordinal="${HOSTNAME##*-}"
seed="${HOSTNAME%-*}-0.${SERVICE_NAME}:27017"

until mongosh --quiet --eval 'db.adminCommand({ ping: 1 }).ok' >/dev/null 2>&1; do sleep 2; done

if [ "$ordinal" = "0" ]; then
  mongosh --quiet --eval "
    try {
      rs.status();
      print('replica set ${REPLICA_SET} already initiated');
    } catch (e) {
      if (e.codeName !== 'NotYetInitialized') throw e;
      rs.initiate({ _id: '${REPLICA_SET}', members: [{ _id: 0, host: '${self}' }] });
      print('replica set ${REPLICA_SET} initiated with ${self}');
    }"
else
  until mongosh --quiet "mongodb://${seed}/?replicaSet=${REPLICA_SET}" --eval "
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
