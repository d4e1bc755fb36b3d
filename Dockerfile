# The CronJob image: the three tools exported as jars sharing one lib/, run by a JRE as a
# non-root user. Nothing is downloaded at run time. Default command: bucketmapper, then taskmaker
# (deploy/entrypoint.sh); `docker run IMAGE tokenmaker ...` runs one tool.
#
#   docker build -t influx-tools .
# Build arguments (docs/running.md, Building the image):
#   BUILD_IMAGE     a JDK 17+ image with apt-get (default: the official Temurin JDK image)
#   RUNTIME_IMAGE   a JRE 17+ image with useradd (default: the official Temurin JRE image)
#   EXTRA_CA_CERTS  PEM certificates the build trusts besides the usual ones, for a TLS-inspecting
#                   proxy between the build and Maven Central; the image itself does not get them:
#                   --build-arg EXTRA_CA_CERTS="$(cat proxy-ca.crt)"
ARG BUILD_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
ARG EXTRA_CA_CERTS=""
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# curl (the JBang launcher) reads the system's CA bundle, and JBang's Maven resolver reads Java's
# trust store: the extra certificates go into both, one file each.
RUN if [ -n "$EXTRA_CA_CERTS" ]; then \
      printf '%s\n' "$EXTRA_CA_CERTS" | awk -v dir=/usr/local/share/ca-certificates \
        '/-----BEGIN CERTIFICATE-----/ { n++; file = sprintf("%s/build-extra-%d.crt", dir, n) } file { print > file } /-----END CERTIFICATE-----/ { close(file); file = "" }' \
      && update-ca-certificates >/dev/null \
      && for cert in /usr/local/share/ca-certificates/build-extra-*.crt; do \
           keytool -importcert -cacerts -storepass changeit -noprompt -alias "$(basename "$cert" .crt)" -file "$cert" >/dev/null; \
         done; \
    fi
WORKDIR /src
COPY jbang bucketmapper.java tokenmaker.java taskmaker.java ./
COPY lib/ lib/
COPY templates/ templates/
COPY deploy/ deploy/
RUN deploy/export.sh /out

FROM ${RUNTIME_IMAGE}
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin influx-tools
COPY --from=build /out/ /opt/influx-tools/
# Numeric, so that Kubernetes' runAsNonRoot can check it without a passwd lookup.
USER 10001
ENTRYPOINT ["/opt/influx-tools/entrypoint.sh"]
