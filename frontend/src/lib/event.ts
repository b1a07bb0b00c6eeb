// Facts derived from one DIUN event: which container it concerns, whether it is DIUN's test
// notification, and whether its hub link is safe to open.
import type { DiunEvent } from "../api/types";

export interface ContainerName {
  /** Container, service or task name. */
  name: string;
  /** Extra identity where the provider has one (Kubernetes namespace/pod, Nomad job). */
  detail?: string;
}

const meta = (event: DiunEvent, key: string): string => event.metadata?.[key]?.trim() ?? "";

/** The workload name from the provider's metadata key; null for file/dockerfile or when absent. */
export function containerOf(event: DiunEvent): ContainerName | null {
  let name = "";
  let detail = "";
  switch (event.provider) {
    case "docker":
      // Several containers arrive comma-joined.
      name = meta(event, "ctn_names").split(",").map((n) => n.trim()).filter(Boolean).join(", ");
      break;
    case "swarm":
    case "containerd":
      name = meta(event, "ctn_name");
      break;
    case "kubernetes": {
      name = meta(event, "ctn_name");
      const ns = meta(event, "pod_namespace");
      const pod = meta(event, "pod_name");
      detail = ns && pod ? `${ns}/${pod}` : pod;
      if (!name && detail) [name, detail] = [detail, ""];
      break;
    }
    case "nomad":
      name = meta(event, "task_name");
      detail = meta(event, "job_name");
      break;
    default:
      return null;
  }
  if (!name) return null;
  return detail ? { name, detail } : { name };
}

const TEST_IMAGE = "docker.io/diun/testnotif:latest";
const OLD_TEST_IMAGE = "docker.io/crazymax/diun:latest";

/** `diun notif test` sends a fixed fake entry; the pre-4.4.1 one is a real image name, so also check the provider. */
export function isTestNotification(event: Pick<DiunEvent, "image" | "provider">): boolean {
  return event.image === TEST_IMAGE || (event.image === OLD_TEST_IMAGE && event.provider === "file");
}

/** hub_link is untrusted: only absolute http(s) URLs become links. */
export function safeHttpUrl(link: string | null | undefined): string | null {
  if (!link) return null;
  try {
    const url = new URL(link);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
