#!/bin/sh
# The contract Testcontainers relies on: root logs in with the password in $PASSWORD, and remote
# forwards listen on every address, so that other containers reach them at this container's IP.
# Testcontainers' SSH client is an old one: it needs ssh-rsa host keys and a SHA-1 key exchange,
# which OpenSSH no longer offers by default.
set -eu
: "${PASSWORD:?PASSWORD must be set}"
echo "root:$PASSWORD" | chpasswd
ssh-keygen -A >/dev/null
exec /usr/sbin/sshd -D -e \
  -o PermitRootLogin=yes \
  -o PasswordAuthentication=yes \
  -o AddressFamily=inet \
  -o GatewayPorts=yes \
  -o AllowTcpForwarding=yes \
  -o HostKeyAlgorithms=+ssh-rsa \
  -o PubkeyAcceptedAlgorithms=+ssh-rsa \
  -o KexAlgorithms=+diffie-hellman-group14-sha1,diffie-hellman-group1-sha1
