# Meshgate server image. Build: docker build -t meshgate .   Run: docker run -p 9080:9080 meshgate
# With TLS (wss://, GStreamer's clients need it): mount the PEM pair and pass its paths, e.g.
#   docker run -p 9080:9080 -p 8443:8443 -v /etc/meshgate/tls:/tls:ro meshgate --port 9080 \
#     --tls-cert /tls/fullchain.pem --tls-key /tls/privkey.pem
# Server-hosted lobbies use WebRTC over UDP on ephemeral ports: run with --network host, or publish a port range and
# set --rtc-reveal-cidrs to the addresses clients can reach.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY shared/pom.xml shared/
COPY server/pom.xml server/
COPY tools/pom.xml tools/
COPY shared/src shared/src
COPY server/src server/src
# Tests need network namespaces, engines and browsers; CI runs them (tools/run-tests.sh), the image only builds.
RUN mvn -B -ntp -q -pl server -am package -DskipTests

FROM eclipse-temurin:17-jre
# webrtc-java's native library links against PulseAudio's client library even when no audio is used.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpulse0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home meshgate
COPY --from=build /src/server/target/meshgate-server.jar /opt/meshgate/meshgate-server.jar
# The launcher holds the JVM settings (bounded heap, G1 with short pauses, MALLOC_ARENA_MAX=2; see the script):
# `docker run -e JAVA_OPTS=...` replaces them.
COPY server/meshgate /opt/meshgate/meshgate
USER meshgate
# The admin listener (/stats) stays on the container's loopback unless MESHGATE_ADMIN_HOST says otherwise; publish
# 9081 only to your monitoring network, and set MESHGATE_ADMIN_TOKEN for its actions.
# SIGTERM drains for up to --drain-timeout (30 s) before it stops: give `docker stop -t 40` (or a pod's
# terminationGracePeriodSeconds) more than that, or players are cut without their 1001.
EXPOSE 9080 8443
ENV MESHGATE_HOST=0.0.0.0
# exec (in the launcher): java becomes PID 1 and receives SIGTERM itself, so a stop closes clients with 1001 and exits 0.
ENTRYPOINT ["/opt/meshgate/meshgate"]
CMD ["--port", "9080"]
