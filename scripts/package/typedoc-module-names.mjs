/**
 * TypeDoc plugin (typedoc.json "plugin"): names the two documented modules by their import paths,
 * "airflow-task-instances" and "airflow-task-instances/generated", instead of the folders
 * (src, generated/v1) their entry files live in.
 */
import { Converter, ReflectionKind } from "typedoc";

const NAMES = { src: "airflow-task-instances", "generated/v1": "airflow-task-instances/generated" };

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      if (Object.hasOwn(NAMES, module.name)) module.name = NAMES[module.name];
    }
  });
}
