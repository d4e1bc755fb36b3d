# The CronJob image: the three tools exported as jars sharing one lib/, run by a JRE as a
# non-root user. Nothing is downloaded at run time. Default command: bucketmapper, then taskmaker
# (deploy/entrypoint.sh); `docker run IMAGE tokenmaker ...` runs one tool.

FROM eclipse-temurin:17-jdk AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY jbang bucketmapper.java tokenmaker.java taskmaker.java ./
COPY lib/ lib/
COPY templates/ templates/
COPY deploy/ deploy/
RUN deploy/export.sh /out

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin influx-tools
COPY --from=build /out/ /opt/influx-tools/
USER 10001
ENTRYPOINT ["/opt/influx-tools/entrypoint.sh"]
