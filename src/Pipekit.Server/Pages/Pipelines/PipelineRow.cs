using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.State;
using Pipekit.Server.Pages.Groups;

namespace Pipekit.Server.Pages.Pipelines;

/// <summary>One DAG on the pipelines list: its project, latest run, next fires (when scheduled) and how many problems it has.</summary>
internal sealed record PipelineRow(PitProject Project, PipelineRun? LatestRun, NextFires? Fires, int Problems);
