# The CronJob image: the three tools exported as jars sharing one lib/, run by a JRE as a
# non-root user, each with an AOT cache (JDK 25+) trained when the image is built. Nothing is
# downloaded at run time. Default command: bucketmapper, then taskmaker (deploy/entrypoint.sh);
# `docker run IMAGE tokenmaker ...` runs one tool.
#
#   docker build -t influx-tools .
# Build arguments (docs/running.md, Building the image):
#   BUILD_IMAGE     a JDK 17+ image with apt-get (default: the official Temurin 25 JDK image)
#   RUNTIME_IMAGE   a JRE 17+ image with useradd and apt-get (default: the official Temurin 25 JRE
#                   image); on a JRE older than 25 the image has no AOT caches and starts slower
#   INFLUXDB_IMAGE  an InfluxDB 2.x image with influxd in /usr/local/bin, for the throwaway server
#                   the caches are trained against (default: the official one); not in the image
#   EXTRA_CA_CERTS  PEM certificates the build trusts besides the usual ones, for a TLS-inspecting
#                   proxy between the build and Maven Central; the image itself does not get them:
#                   --build-arg EXTRA_CA_CERTS="$(cat proxy-ca.crt)"
ARG BUILD_IMAGE=eclipse-temurin:25-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre
ARG INFLUXDB_IMAGE=influxdb:2.7.12

FROM ${INFLUXDB_IMAGE} AS influxdb

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

# A cache fits only the JVM that made it and the jars at the path it saw, so it is trained on the
# runtime image, at the final path; influxd and curl stay in this stage.
FROM ${RUNTIME_IMAGE} AS train
RUN command -v curl >/dev/null \
 || { apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
      && rm -rf /var/lib/apt/lists/*; }
COPY --from=build /out/ /opt/influx-tools/
COPY --from=influxdb /usr/local/bin/influxd /tmp/influxd
RUN /opt/influx-tools/train-aot.sh /tmp/influxd /opt/influx-tools

FROM ${RUNTIME_IMAGE}
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin influx-tools
COPY --from=train /opt/influx-tools/ /opt/influx-tools/
# Numeric, so that Kubernetes' runAsNonRoot can check it without a passwd lookup.
USER 10001
ENTRYPOINT ["/opt/influx-tools/entrypoint.sh"]
